/*
 * The kit against a real Token Server (in this process), a browser with a cookie jar, and a phone
 * that scans the browser's QR through the mobile API.
 */
import assert from 'node:assert/strict';
import { decodeQrPayload, parseStartLoginResponse } from '../../src/protocol/index.js';
import {
  createOtpLoginKit,
  type OtpLoginKit,
  type OtpLoginKitConfig,
} from '../../src/server/kit/index.js';
import {
  CLIENT_SECRET,
  TokenServerFixture,
  type TokenServerClient,
} from '../server/token-server-fixture.js';
import type { TestDevice } from '../support/test-device.js';

export const SITE = 'http://site.test';
export const APP_URL = 'http://localhost:7003/';
export const CALLBACK_URI = 'http://127.0.0.1:9/callback';

export interface KitSetup {
  tokenServer: TokenServerFixture;
  kit: OtpLoginKit;
  logins: string[];
  /** The kit's reads of each transaction (unless `overrides` brought a fetch of their own). */
  reads: TransactionReads;
}

/** The path of a read of one transaction on the Token Server's relying-party API. */
const TRANSACTION_READ = /\/authenticate\/transaction\/([^/]+)$/;

/**
 * The Token Server as a kit reaches it, counting each transaction's reads whose answer has gone
 * back to the kit. On a server without long-poll a held poll reads its login and then, in the
 * same turn of the event loop, waits for the callback: a test that waits until that read is
 * counted knows that the poll now waits for the callback.
 */
export class TransactionReads {
  private readonly counts = new Map<string, number>();

  constructor(private readonly tokenServer: Pick<TokenServerClient, 'fetch'>) {}

  /** The Token Server's fetch, for the kit's configuration. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const response = await this.tokenServer.fetch(request);
    const id = TRANSACTION_READ.exec(new URL(request.url).pathname)?.[1];
    if (id !== undefined) this.counts.set(id, this.of(id) + 1);
    return response;
  };

  /** How many reads of `transactionId` the Token Server has answered. */
  of(transactionId: string): number {
    return this.counts.get(transactionId) ?? 0;
  }
}

/** A kit for client `demo` of the fixture; `onLogin` records the user and sets a session cookie. */
export function setUpKit(
  overrides: Partial<OtpLoginKitConfig> = {},
  tokenServer = new TokenServerFixture(),
  reads = new TransactionReads(tokenServer),
): KitSetup {
  const logins: string[] = [];
  const kit = createOtpLoginKit({
    tokenServer: {
      url: tokenServer.base,
      clientId: 'demo',
      clientSecret: CLIENT_SECRET,
      fetch: reads.fetch,
    },
    publicOrigin: SITE,
    appUrl: APP_URL,
    callbackUri: CALLBACK_URI,
    interval: 0,
    login: {
      path: '/otp-login',
      type: 'otp',
      onLogin: (userId) => {
        logins.push(userId);
        return { redirectTo: '/account', cookies: [`session=${userId}; Path=/; HttpOnly`] };
      },
    },
    onError: () => undefined,
    ...overrides,
  });
  return { tokenServer, kit, logins, reads };
}

/**
 * A kit whose Token Server client never long-polls and re-reads only every 10 minutes, so that
 * only the Token Server's callback can end a browser's held poll early.
 */
export function setUpCallbackOnlyKit(): KitSetup {
  const tokenServer = new TokenServerFixture();
  const reads = new TransactionReads(tokenServer);
  return setUpKit(
    {
      tokenServer: {
        url: tokenServer.base,
        clientId: 'demo',
        clientSecret: CLIENT_SECRET,
        longPoll: 'never',
        fetch: reads.fetch,
      },
      upstreamPollMs: 600_000,
      maxWaitSeconds: 60,
    },
    tokenServer,
    reads,
  );
}

/** A browser: keeps the cookies a site sets, and sends them back. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly kit: Pick<OtpLoginKit, 'fetch'>,
    readonly ip = '198.51.100.7',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set(
        'Cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    const response = await this.kit.fetch(new Request(`${SITE}${path}`, { ...init, headers }), {
      clientIp: this.ip,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }

  /** Clicks "log in with your phone": POST from the site's own page. */
  async start(endpoint = '/otp-login') {
    const response = await this.request(endpoint, {
      method: 'POST',
      headers: { Origin: SITE, 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    });
    if (response.status !== 201)
      throw new Error(`start: ${response.status} ${await response.text()}`);
    return { response, body: parseStartLoginResponse(await response.json()) };
  }

  /** Clicks "log in with your phone" and expects the site to be too busy to start one. */
  async startRefusedAsBusy(endpoint = '/otp-login'): Promise<void> {
    const refused = await this.request(endpoint, { method: 'POST', headers: { Origin: SITE } });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.equal(((await refused.json()) as { error: string }).error, 'busy');
  }

  async poll(endpoint: string, id: string, wait = 0) {
    const response = await this.request(`${endpoint}/${id}?wait=${wait}`);
    return {
      response,
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  /**
   * Confirms login `id` from the site's own page: the code the phone shows (`{code}`), or whether
   * it shows the page's code (`{matches}`). `body` is sent as it is when it is a string.
   */
  async confirm(
    endpoint: string,
    id: string,
    body: unknown,
    headers: Record<string, string> = { Origin: SITE, 'Content-Type': 'application/json' },
  ) {
    const response = await this.request(`${endpoint}/${id}/confirm`, {
      method: 'POST',
      headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      response,
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    };
  }
}

/** The phone scans `qr` and answers. */
export async function scan(tokenServer: TokenServerClient, phone: TestDevice, qr: string) {
  const payload = decodeQrPayload(qr);
  if (payload.kind !== 'authentication') throw new Error('not a login QR');
  const redeemed = await tokenServer.mobile(
    phone,
    `/transactions/${payload.transactionId}/redeem`,
    {
      otp: payload.otp,
    },
  );
  if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status}`);
  return {
    transactionId: payload.transactionId,
    redeemed: redeemed.body,
    answer: async (answer: 'accept' | 'deny', number?: string) => {
      const answered = await tokenServer.mobile(
        phone,
        `/transactions/${payload.transactionId}/answer`,
        { answer, ...(number === undefined ? {} : { number }) },
      );
      if (answered.status !== 200) throw new Error(`answer: ${answered.status}`);
      return answered.body;
    },
  };
}

/**
 * `held` settled long before the 60 s wait it asked for: something woke it. (The margin is wide;
 * this tells "woken" from "ran out", it measures no speed.)
 */
export async function beforeTheWaitEnds<T>(held: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('The held poll was not woken; it would have waited its full time.'));
    }, 15_000);
  });
  try {
    return await Promise.race([held, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
