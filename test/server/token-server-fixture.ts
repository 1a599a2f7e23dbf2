import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  decodeEnrollmentPayload,
  decodeQrPayload,
  type EnrollmentPayload,
} from '../../src/protocol/index.js';
import {
  parseTokenServerConfig,
  type TokenServerConfig,
  type TokenServerConfigInput,
} from '../../src/server/token-server/config.js';
import { createTokenServer, type TokenServer } from '../../src/server/token-server/app.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { Store } from '../../src/server/store/store.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';

export const BASE = 'http://token-server.test';
export const CLIENT_SECRET = 'demo-secret-that-is-long-enough-0123456789';
export const OTHER_SECRET = 'other-secret-that-is-long-enough-0123456789';

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
        types: ['otp', 'otp_match', 'second_factor'],
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
    ],
    appOrigins: ['https://scan.example'],
    ...overrides,
  });
}

/** Speaks the Token Server's two APIs, as a website and as a phone, to a server anywhere. */
export class TokenServerClient {
  now = Date.now();

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
  async startEnrollment(userId = 'alice'): Promise<EnrollmentPayload> {
    const started = await this.relyingParty('/enrollments', {
      method: 'POST',
      body: new URLSearchParams({ user_id: userId }).toString(),
    });
    const { code } = (await started.json()) as { code: string };
    return decodeEnrollmentPayload(code);
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

  /** Links a new phone to `userId` through an enrollment code, as the PWA does. */
  async enrollDevice(userId = 'alice'): Promise<TestDevice> {
    const device = await createTestDevice();
    const response = await this.completeEnrollment(device, await this.startEnrollment(userId));
    if (response.status !== 201)
      throw new Error(`enroll: ${response.status} ${await response.text()}`);
    device.deviceId = ((await response.json()) as { device_id: string }).device_id;
    return device;
  }

  async mobile(
    device: TestDevice,
    path: string,
    body: unknown,
    options: { timestamp?: number; nonce?: string } = {},
  ) {
    const request = await device.signedRequest(`${this.base}/api/mobile/v1${path}`, body, {
      timestamp: this.now,
      ...options,
    });
    const replay = request.clone();
    const response = await this.fetch(request);
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      replay,
    };
  }
}

/** A Token Server in this process on a controllable clock, and a client for it. */
export class TokenServerFixture extends TokenServerClient {
  readonly server: TokenServer;

  constructor(
    readonly store: Store = new MemoryStore(),
    config: Partial<TokenServerConfigInput> = {},
    logger?: Logger,
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
      // Tests name the caller's address in a header; without it, per-IP limits do not apply.
      clientIp: (c) => c.req.header('x-test-ip') ?? null,
    });
    holder.server = server;
    this.server = server;
  }
}
