/*
 * The built scanner app against a real Token Server, for the Node end-to-end tests and the
 * benchmark: a Token Server process (SQLite in a temporary folder) that allows the app's origin,
 * the app built by Vite into that folder with its config.json, and Vite's preview server for it.
 * Beside them, the website kit (in this process) serves the linking page's calls, and a browser
 * with a cookie jar makes them: a link is made only when that browser confirms the phone's code.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { createOtpLoginKit, type OtpLoginKit } from '../../../src/server/kit/index.js';
import {
  freePort,
  startTokenServerProcess,
  type TokenServerProcess,
} from '../../support/token-server-process.js';

export const CLIENT_ID = 'demo';
export const CLIENT_SECRET = 'app-e2e-secret-that-is-long-enough-0123456789';
export const CALLBACK_URI = 'http://127.0.0.1:9/callback';
/** The website's origin, as the kit knows it (its pages' calls carry it as Origin). */
export const SITE = 'http://site.test';
/** Where the kit serves the linking page's calls. */
export const LINK_PATH = '/link';

export interface AppHarness {
  /** Where the app is served, with a trailing slash. */
  readonly appUrl: string;
  readonly tokenServerUrl: string;
  readonly website: Website;
  /** The website's linking page, through the kit: start a link, read it, confirm the code. */
  readonly linkingPage: LinkingPage;
  /** The temporary folder (y4m files may go here). */
  readonly dir: string;
  /**
   * Builds the app again into the served folder, unminified: a new version with new files, as a
   * deployment would bring (for the update prompt).
   */
  deployNewVersion(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the app, starts a Token Server and serves the app; `close()` undoes all three. */
export async function startAppHarness(): Promise<AppHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'otp-app-'));
  const appPort = await freePort();
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const configPath = join(dir, 'token-server.json');
  const outDir = join(dir, 'app');
  await writeFile(configPath, JSON.stringify(tokenServerConfig(appOrigin)));
  let tokenServer: TokenServerProcess | undefined;
  let server: PreviewServer | undefined;
  try {
    tokenServer = await startTokenServerProcess({
      TOKEN_SERVER_CONFIG: configPath,
      TOKEN_SERVER_DATABASE: join(dir, 'token-server.db'),
      TOKEN_SERVER_CREATE_DATABASE: '1',
      // The callbacks go to a closed port on purpose; their retries are not news.
      LOG_LEVEL: 'error',
    });
    await buildApp(outDir, tokenServer.url, true);
    server = await preview({
      configFile: 'vite.config.ts',
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: appPort, strictPort: true, open: false },
    });
  } catch (error) {
    await server?.close();
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const started = { tokenServer, server };
  const kit = linkingKit(tokenServer.url, `${appOrigin}/`);
  return {
    appUrl: `${appOrigin}/`,
    tokenServerUrl: tokenServer.url,
    website: new Website(tokenServer.url),
    linkingPage: new LinkingPage(kit),
    dir,
    async deployNewVersion() {
      await buildApp(outDir, started.tokenServer.url, false);
    },
    async close() {
      await started.server.close();
      await started.tokenServer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function buildApp(outDir: string, tokenServerUrl: string, minify: boolean): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, minify } });
  await writeFile(join(outDir, 'config.json'), JSON.stringify({ tokenServerUrl }));
}

function tokenServerConfig(appOrigin: string) {
  return {
    clients: [
      {
        id: CLIENT_ID,
        secretSha256: createHash('sha256').update(CLIENT_SECRET).digest('hex'),
        name: 'Demo Bank',
        callbackUris: [CALLBACK_URI],
        types: ['otp', 'otp_match', 'otp_presence'],
      },
    ],
    types: [
      { name: 'otp', messages: { en: 'Log in to Demo Bank', nl: 'Inloggen bij Demo Bank' } },
      { name: 'otp_match', numberMatching: true, messages: { en: 'Log in to Demo Bank' } },
      {
        name: 'otp_presence',
        proofOfPresence: 'always',
        messages: { en: 'Log in to Demo Bank' },
      },
    ],
    appOrigins: [appOrigin],
    // Every address here is a loopback one, which no IP database places.
    ipLocation: false,
  };
}

/**
 * The kit as the demo website sets it up for linking: the user is the one the browser's `user`
 * cookie names (the test's stand-in for a session), who signed in a moment ago.
 */
function linkingKit(tokenServerUrl: string, appUrl: string): OtpLoginKit {
  return createOtpLoginKit({
    tokenServer: { url: tokenServerUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    publicOrigin: SITE,
    appUrl,
    callbackUri: CALLBACK_URI,
    interval: 0,
    upstreamPollMs: 50,
    enrollment: {
      path: LINK_PATH,
      userId: (request) =>
        /(?:^|; )user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
      recentlyAuthenticated: () => true,
    },
    onError: (error) => {
      console.error(error);
    },
  });
}

/** What the linking page's poll (or its confirmation) answers. */
export interface LinkStatus {
  readonly status: string;
  readonly confirm?: string;
  readonly compare_code?: string;
}

/**
 * The browser that shows the website's linking page, signed in as one user: it keeps the
 * cookies the kit sets (the binding cookie) and sends them back, as a browser would.
 */
export class LinkingPage {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly kit: OtpLoginKit) {}

  /** Opens the linking page as `userId`: the kit starts a link; returns its id and QR text. */
  async start(userId: string): Promise<{ id: string; qr: string }> {
    this.cookies.set('user', userId);
    const response = await this.request(LINK_PATH, { method: 'POST' });
    if (response.status !== 201) {
      throw new Error(`start a link: ${response.status} ${await response.text()}`);
    }
    const body = (await response.json()) as { id: string; qr: string };
    return { id: body.id, qr: body.qr };
  }

  /** The page's poll: where the link stands, waiting up to `wait` seconds for news. */
  async status(id: string, wait = 0): Promise<LinkStatus> {
    const response = await this.request(`${LINK_PATH}/${id}?wait=${wait}`);
    if (response.status !== 200) {
      throw new Error(`link status: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as LinkStatus;
  }

  /** The user answers "Does your phone show this code?" on the page. */
  async confirm(id: string, matches: boolean): Promise<LinkStatus> {
    const response = await this.request(`${LINK_PATH}/${id}/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ matches }),
    });
    if (response.status !== 200) {
      throw new Error(`confirm the link: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as LinkStatus;
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Origin', SITE);
    headers.set(
      'User-Agent',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    );
    headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await this.kit.fetch(new Request(`${SITE}${path}`, { ...init, headers }), {
      clientIp: '127.0.0.1',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }
}

/** The website's backend: the relying-party API with the demo client's credentials. */
export class Website {
  constructor(readonly tokenServerUrl: string) {}

  /** Starts a login; returns the transaction id and the code for the QR. */
  async startLogin(
    type: 'otp' | 'otp_match' | 'otp_presence' = 'otp',
  ): Promise<{ transactionId: string; code: string; numberMatchCode?: string }> {
    const body = await this.call('/authenticate/user', {
      type,
      callback_uri: CALLBACK_URI,
      message: 'Log in to Demo Bank',
      user_agent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      ip_address: '127.0.0.1',
    });
    return {
      transactionId: body.transaction_id as string,
      code: body.otp as string,
      ...(typeof body.number_match_code === 'string'
        ? { numberMatchCode: body.number_match_code }
        : {}),
    };
  }

  /** Starts linking a phone to `userId`; returns the enrollment code (compact digits). */
  async startEnrollment(userId = 'alice@example.com'): Promise<string> {
    const body = await this.call('/enrollments', { user_id: userId });
    return body.code as string;
  }

  /** The browser types the code the phone showed (proof of presence); returns the result. */
  async provePresence(transactionId: string, code: string): Promise<Record<string, unknown>> {
    return this.call(`/authenticate/transaction/${transactionId}/presence`, { code });
  }

  /** The login's result as the website reads it. */
  async result(transactionId: string): Promise<Record<string, unknown>> {
    const response = await fetch(
      `${this.tokenServerUrl}/oauth/api/v4/authenticate/transaction/${transactionId}`,
      { headers: { Authorization: this.authorization() } },
    );
    if (!response.ok) throw new Error(`result: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private async call(path: string, fields: Record<string, string>) {
    const response = await fetch(`${this.tokenServerUrl}/oauth/api/v4${path}`, {
      method: 'POST',
      headers: {
        Authorization: this.authorization(),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private authorization(): string {
    return `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  }
}
