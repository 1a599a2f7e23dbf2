import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  decodeEnrollmentPayload,
  decodeQrPayload,
  shownDigest,
  type EnrollmentPayload,
  type MobileRedeemResponse,
  type PasskeyOptionsResponse,
} from '../../src/protocol/index.js';
import {
  parseTokenServerConfig,
  type TokenServerConfig,
  type TokenServerConfigInput,
} from '../../src/server/token-server/config.js';
import { createTokenServer, type TokenServer } from '../../src/server/token-server/app.js';
import type { IpLocator } from '../../src/server/token-server/ip-location/ip-locator.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { Store } from '../../src/server/store/store.js';
import type { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';

export const BASE = 'http://token-server.test';
export const CLIENT_SECRET = 'demo-secret-that-is-long-enough-0123456789';
export const OTHER_SECRET = 'other-secret-that-is-long-enough-0123456789';
/** The scanner app's origin in the test configuration: its passkeys belong to scan.example. */
export const APP_ORIGIN = 'https://scan.example';

/*
 * Callbacks go to the discard port on loopback, where they are refused at once: no test traffic
 * leaves this machine. The callback test runs its own receiver.
 */
export function testConfig(overrides: Partial<TokenServerConfigInput> = {}): TokenServerConfig {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  return parseTokenServerConfig({
    clients: [
      {
        id: 'demo',
        secretSha256: sha(CLIENT_SECRET),
        name: 'Demo Bank',
        callbackUris: ['http://127.0.0.1:9/callback'],
        types: [
          'otp',
          'otp_match',
          'second_factor',
          'otp_presence',
          'otp_local',
          'second_factor_presence',
          'otp_verified',
          'otp_verified_if_able',
        ],
      },
      {
        id: 'other',
        secretSha256: sha(OTHER_SECRET),
        name: 'Other Site',
        callbackUris: ['http://127.0.0.1:9/other-callback'],
        types: ['otp'],
      },
    ],
    types: [
      { name: 'otp', messages: { en: 'Log in to Demo Bank', nl: 'Inloggen bij Demo Bank' } },
      { name: 'otp_match', numberMatching: true, messages: { en: 'Log in' } },
      { name: 'second_factor', secondFactor: true, messages: { en: 'Confirm your login' } },
      { name: 'otp_presence', proofOfPresence: 'always', messages: { en: 'Log in' } },
      { name: 'otp_local', proofOfPresence: 'unless_same_network', messages: { en: 'Log in' } },
      {
        name: 'second_factor_presence',
        secondFactor: true,
        proofOfPresence: 'always',
        messages: { en: 'Confirm your login' },
      },
      { name: 'otp_verified', userVerification: 'required', messages: { en: 'Log in' } },
      { name: 'otp_verified_if_able', userVerification: 'preferred', messages: { en: 'Log in' } },
    ],
    appOrigins: [APP_ORIGIN],
    // No IP databases: the embedded ones cost a Token Server process a few hundred MB and a
    // second to open, and tests give an in-process server a locator of their own instead.
    ipLocation: false,
    ...overrides,
  });
}

/** Speaks the Token Server's two APIs, as a website and as a phone, to a server anywhere. */
export class TokenServerClient {
  now = Date.now();
  /**
   * shownDigest() of the details each login's last redemption gave, by transaction id: an answer
   * sent through `mobile()` without `shown` signs these, as the SDK does.
   */
  private readonly shown = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly send: (request: Request) => Promise<Response>,
  ) {}

  fetch(request: Request): Promise<Response> {
    return this.send(request);
  }

  relyingParty(
    path: string,
    init: RequestInit & { secret?: string; clientId?: string } = {},
  ): Promise<Response> {
    const credentials = Buffer.from(
      `${init.clientId ?? 'demo'}:${init.secret ?? CLIENT_SECRET}`,
    ).toString('base64');
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Basic ${credentials}`);
    if (typeof init.body === 'string' && !headers.has('Content-Type'))
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
    return this.fetch(new Request(`${this.base}/oauth/api/v4${path}`, { ...init, headers }));
  }

  /** Starts a login; returns Onegini's response and the decoded OTP. */
  async initialize(fields: Record<string, string> = {}, clientId = 'demo') {
    const response = await this.relyingParty('/authenticate/user', {
      method: 'POST',
      body: new URLSearchParams({
        type: 'otp',
        callback_uri: 'http://127.0.0.1:9/callback',
        ...fields,
      }).toString(),
      ...(clientId === 'demo' ? {} : { clientId, secret: OTHER_SECRET }),
    });
    if (response.status !== 200)
      throw new Error(`initialize: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      transaction_id: string;
      otp: string;
      number_match_code?: string;
    };
    const payload = decodeQrPayload(body.otp);
    if (payload.kind !== 'authentication') throw new Error('not a login code');
    return { ...body, code: payload.otp };
  }

  async result(
    transactionId: string,
    query = '',
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.relyingParty(`/authenticate/transaction/${transactionId}${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The website starts linking a phone; returns the decoded enrollment code. */
  async startEnrollment(
    userId = 'alice',
    fields: Record<string, string> = {},
  ): Promise<EnrollmentPayload> {
    const started = await this.relyingParty('/enrollments', {
      method: 'POST',
      body: new URLSearchParams({ user_id: userId, ...fields }).toString(),
    });
    if (started.status !== 200)
      throw new Error(`enrollments: ${started.status} ${await started.text()}`);
    const { code } = (await started.json()) as { code: string };
    return decodeEnrollmentPayload(code);
  }

  /** What the linking page learns of a link: `GET /enrollments/{id}`. */
  async linkStatus(
    enrollmentId: string,
    clientId = 'demo',
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.relyingParty(`/enrollments/${enrollmentId}`, {
      ...(clientId === 'demo' ? {} : { clientId, secret: OTHER_SECRET }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The website's user says whether the phone shows the page's code: `POST …/confirm`. */
  async confirmLink(
    enrollmentId: string,
    matches: boolean,
    clientId = 'demo',
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.relyingParty(`/enrollments/${enrollmentId}/confirm`, {
      method: 'POST',
      body: new URLSearchParams({ matches: String(matches) }).toString(),
      ...(clientId === 'demo' ? {} : { clientId, secret: OTHER_SECRET }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The browser's user types the phone's code: `POST …/presence`. */
  async typePresenceCode(
    transactionId: string,
    code: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.relyingParty(
      `/authenticate/transaction/${transactionId}/presence`,
      {
        method: 'POST',
        body: new URLSearchParams({ code }).toString(),
      },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The phone uses an enrollment code, signing with its key; `publicKey` is what it claims. */
  async completeEnrollment(
    device: TestDevice,
    enrollment: EnrollmentPayload,
    publicKey: JsonWebKey = device.publicJwk,
    deviceName = 'Test phone',
  ): Promise<Response> {
    return this.fetch(
      await device.signedRequest(
        `${this.base}/api/mobile/v1/enrollments/${enrollment.enrollmentId}`,
        { secret: enrollment.secret, public_key: publicKey, device_name: deviceName },
        { anonymous: true, timestamp: this.now },
      ),
    );
  }

  /**
   * Links a new phone to `userId` through an enrollment code, as the PWA does, and confirms the
   * link as the website does once its user saw the same code on both.
   */
  async enrollDevice(userId = 'alice'): Promise<TestDevice> {
    const device = await this.enrollPendingDevice(userId);
    const confirmed = await this.confirmLink(device.enrollmentId, true);
    if (confirmed.status !== 200 || confirmed.body.status !== 'accepted')
      throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    return device;
  }

  /** Links a new phone to `userId` through an enrollment code; the website has not confirmed it. */
  async enrollPendingDevice(
    userId = 'alice',
  ): Promise<TestDevice & { enrollmentId: string; compareCode: string }> {
    const device = await createTestDevice();
    const enrollment = await this.startEnrollment(userId);
    const response = await this.completeEnrollment(device, enrollment);
    if (response.status !== 201)
      throw new Error(`enroll: ${response.status} ${await response.text()}`);
    const linked = (await response.json()) as { device_id: string; compare_code: string };
    device.deviceId = linked.device_id;
    return Object.assign(device, {
      enrollmentId: enrollment.enrollmentId,
      compareCode: linked.compare_code,
    });
  }

  /**
   * The phone registers a passkey that `authenticator` makes, from the app at `origin`, as the
   * SDK does as it links: the options, then the registration. Returns the registration's answer.
   */
  async registerPasskey(
    device: TestDevice,
    authenticator: SoftwareAuthenticator,
    origin = APP_ORIGIN,
  ): Promise<Response> {
    const fromApp = async (path: string, body: unknown) => {
      const request = await device.signedRequest(`${this.base}/api/mobile/v1${path}`, body, {
        timestamp: this.now,
      });
      const headers = new Headers(request.headers);
      headers.set('Origin', origin);
      return this.fetch(new Request(request, { headers }));
    };
    const asked = await fromApp(`/devices/${device.deviceId}/passkey/options`, {});
    if (asked.status !== 200)
      throw new Error(`passkey options: ${asked.status} ${await asked.text()}`);
    const { options } = (await asked.json()) as PasskeyOptionsResponse;
    const registration = authenticator.register({
      challenge: options.challenge,
      origin,
      rpId: options.rp.id,
    });
    return fromApp(`/devices/${device.deviceId}/passkey`, { registration });
  }

  /**
   * A signed call of the mobile API. An answer without `shown` signs the details of the login's
   * last redemption through this client, as the SDK signs what it displayed.
   */
  async mobile(
    device: TestDevice,
    path: string,
    body: unknown,
    options: { timestamp?: number; nonce?: string } = {},
  ) {
    const transactionId = /^\/transactions\/([^/]+)\/(redeem|answer)$/.exec(path);
    const signing =
      transactionId?.[2] === 'answer' &&
      typeof body === 'object' &&
      body !== null &&
      !('shown' in body)
        ? { ...body, shown: this.shown.get(transactionId[1] ?? '') ?? '0'.repeat(64) }
        : body;
    const request = await device.signedRequest(`${this.base}/api/mobile/v1${path}`, signing, {
      timestamp: this.now,
      ...options,
    });
    const replay = request.clone();
    const response = await this.fetch(request);
    const answer = (await response.json()) as Record<string, unknown>;
    if (transactionId?.[2] === 'redeem' && response.status === 200) {
      this.shown.set(transactionId[1] ?? '', await shownDigest(answer as MobileRedeemResponse));
    }
    return { status: response.status, body: answer, replay };
  }
}

/** A Token Server in this process on a controllable clock, and a client for it. */
export class TokenServerFixture extends TokenServerClient {
  readonly server: TokenServer;

  constructor(
    readonly store: Store = new MemoryStore(),
    config: Partial<TokenServerConfigInput> = {},
    logger?: Logger,
    /** Where browsers seem to be; without it the phone is shown no place. */
    ipLocator?: IpLocator,
  ) {
    // The client needs the server and the server the client's clock: tie them through a holder.
    const holder: { server?: TokenServer } = {};
    super(BASE, (request) => {
      if (holder.server === undefined) throw new Error('server not started');
      return Promise.resolve(holder.server.app.fetch(request));
    });
    const server = createTokenServer({
      config: testConfig(config),
      store,
      clock: () => this.now,
      ...(logger === undefined ? {} : { logger }),
      ipLocator,
      // Tests name the caller's address in a header; without it, per-IP limits do not apply.
      clientIp: (c) => c.req.header('x-test-ip') ?? null,
    });
    holder.server = server;
    this.server = server;
  }
}
