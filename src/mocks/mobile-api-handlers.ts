import { http, HttpResponse, type RequestHandler } from 'msw';
import * as v from 'valibot';
import {
  encodeCompactPayload,
  encodeQrText,
  MatchNumber,
  MOBILE_API_BASE_PATH,
  MOBILE_API_ENDPOINTS,
  MOBILE_API_MAX_BODY_BYTES,
  MobileAnswerRequest,
  MobileApiRefusal,
  MobileRedeemRequest,
  numberMatchChoices,
  parseMobileApiBody,
  parseEnrollmentIdParam,
  parseTransactionIdParam,
  verifyDeviceCall,
  verifyEnrollmentCall,
  webCryptoVerifier,
  type KnownDevice,
  type MobileAnswerResponse,
  type MobileApiEndpoint,
  type MobileEnrollResponse,
  type MobileRedeemResponse,
  type SignatureCheckOptions,
  type SignedHttpRequest,
} from '../protocol/index.js';

/**
 * How the mocked Token Server answers the SDK (docs/token-server-api.md, "Mobile API"):
 * - `accept-confirmed`: like the real server: the answer the phone sends is recorded and confirmed;
 * - `deny`: every answer is recorded as a denial (`{"status": "denied"}`), whatever the phone sent;
 * - `expired`: every login code has expired when the phone redeems it (410, 10100);
 * - `expire-before-answer`: the code redeems, then the answer comes too late (410, 10100);
 * - `already-handled`: every login code was redeemed already by another phone (409, 9029);
 * - `number-matching`: the redeem offers three numbers; only `numberMatchCode` accepts;
 * - `network-failure`: every call fails as if the network were down;
 * - `rate-limited`: every call gets 429 (10101) with `Retry-After`;
 * - `device-deregistered`: every signed call gets 401 (9002), as after the website revoked the phone;
 * - `server-error`: every call gets 500 without an error code.
 *
 * In every scenario the mock checks what the real server checks, with the same code (src/protocol's
 * mobile-api-checks.ts): the body cap, the request's shape, the signature (with the key the phone
 * enrolled through the mock), the clock skew, single-use nonces, OTPs and enrollment codes.
 * test/contract/ runs one suite against the mock (`accept-confirmed`) and the real server.
 */
export type MobileApiScenario =
  | 'accept-confirmed'
  | 'deny'
  | 'expired'
  | 'expire-before-answer'
  | 'already-handled'
  | 'number-matching'
  | 'network-failure'
  | 'rate-limited'
  | 'device-deregistered'
  | 'server-error';

export interface MobileApiMockOptions {
  /** The SDK's `tokenServerUrl`. Default `https://token-server.mock`. */
  readonly tokenServerUrl?: string;
  /** Default `accept-confirmed`; may be changed later through `mock.scenario`. */
  readonly scenario?: MobileApiScenario;
  /** The login request's message. Default `Log in to Demo Bank`. */
  readonly message?: string;
  /** The site name. Default `Demo Bank`. */
  readonly site?: string;
  /** Default `Firefox 128`; null for "not recognised". */
  readonly browser?: string | null;
  /** Default `Windows 10`; null for "not recognised". */
  readonly os?: string | null;
  /** Default true. */
  readonly sameNetwork?: boolean | null;
  /** How long a login code lives, ms. Default 60 000. */
  readonly timeToLiveMs?: number;
  /** How long an enrollment code lives, ms. Default 300 000. */
  readonly enrollmentTimeToLiveMs?: number;
  /** The user of every enrollment. Default `alice@example.com`. */
  readonly userId?: string;
  /** The name every enrollment gives the account, as a website may. Default none (null). */
  readonly displayName?: string | null;
  /** The right number for `number-matching`: two digits. Default `42`. */
  readonly numberMatchCode?: string;
  /** How far the phone's clock may be off, ms. Default 120 000. */
  readonly clockSkewMs?: number;
  /** The server's clock. Default `Date.now`. Its time goes out in every `Date` header. */
  readonly now?: () => number;
}

/** Options of one enrollment code; the mock's options are the defaults. */
export interface MockEnrollmentOptions {
  /** The user the code links the phone to. */
  readonly userId?: string;
  /** The name the website gives the account; null for none. */
  readonly displayName?: string | null;
}

/** Options of one login; the mock's options are the defaults. */
export interface MockLoginOptions {
  /** Number matching for this login, whatever the scenario: the right number (two digits). */
  readonly numberMatchCode?: string;
  /** Second factor: only a phone linked to this user may redeem (others get 403, 9021). */
  readonly userId?: string;
}

/** One call the mock received, in order. */
export interface MobileApiMockCall {
  readonly endpoint: MobileApiEndpoint;
  /** The transaction or enrollment id of the path. */
  readonly id: string;
  /** The HTTP status the mock answered (0 for a network failure). */
  readonly status: number;
  /** The JSON body the phone sent (undefined when it was not JSON). */
  readonly body: unknown;
}

/** A login the mocked website started. */
export interface MockLogin {
  readonly transactionId: string;
  readonly otp: string;
  /** The QR text: the app URL with the compact code in its fragment. */
  readonly qr: string;
  /** The compact code alone (what Onegini's `otp` field holds for the reference server). */
  readonly code: string;
  /** The number the website shows, when the login was started with one. */
  readonly numberMatchCode?: string;
}

type LoginState = 'pending' | 'scanned' | 'accepted' | 'denied';

interface Transaction {
  readonly otp: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly numberMatchCode: string | undefined;
  readonly requiredUserId: string | undefined;
  state: LoginState;
  deviceId?: string;
}

interface Enrollment {
  readonly secret: string;
  readonly expiresAt: number;
  readonly userId: string;
  readonly displayName: string | null;
  used: boolean;
}

interface Device {
  readonly id: string;
  readonly key: CryptoKey;
  readonly userId: string;
  revoked: boolean;
}

const DEFAULT_NUMBER_MATCH_CODE = '42';

/**
 * A mocked Token Server mobile API for MSW: `setupWorker(...mock.handlers)` (browser) or
 * `setupServer(...mock.handlers)` (Node). Make codes for the SDK with `mock.enrollmentCode()` and
 * `mock.startLogin()`; read what happened in `mock.calls` and `mock.loginState(id)`.
 */
export class MobileApiMock {
  scenario: MobileApiScenario;
  readonly tokenServerUrl: string;
  /** Every call the mock received, in order. */
  readonly calls: MobileApiMockCall[] = [];
  readonly handlers: RequestHandler[];
  private readonly options: MobileApiMockOptions;
  private readonly now: () => number;
  private readonly checks: SignatureCheckOptions;
  private readonly transactions = new Map<string, Transaction>();
  private readonly enrollments = new Map<string, Enrollment>();
  private readonly devices = new Map<string, Device>();
  /** Used nonces by scope and nonce, with the time until which each is kept. */
  private readonly nonces = new Map<string, number>();

  constructor(options: MobileApiMockOptions = {}) {
    if (options.numberMatchCode !== undefined) checkMatchNumber(options.numberMatchCode);
    this.options = options;
    this.scenario = options.scenario ?? 'accept-confirmed';
    this.tokenServerUrl = (options.tokenServerUrl ?? 'https://token-server.mock').replace(
      /\/+$/,
      '',
    );
    this.now = options.now ?? Date.now;
    this.checks = {
      clockSkewMs: options.clockSkewMs ?? 120_000,
      now: this.now,
      claimNonce: (scope, nonce, keepUntil) => this.claimNonce(scope, nonce, keepUntil),
    };
    const base = `${this.tokenServerUrl}${MOBILE_API_BASE_PATH}`;
    this.handlers = (['enroll', 'redeem', 'answer'] as const).map((endpoint) =>
      http.post(`${base}${MOBILE_API_ENDPOINTS[endpoint].route}`, ({ request, params }) =>
        this.handle(endpoint, String(params.enrollmentId ?? params.transactionId), request),
      ),
    );
  }

  /** A new one-time "Link your phone" code (compact digits) for the SDK's enrollment. */
  enrollmentCode(options: MockEnrollmentOptions = {}): string {
    const enrollmentId = randomHex();
    const secret = randomHex();
    this.enrollments.set(enrollmentId, {
      secret,
      expiresAt: this.now() + (this.options.enrollmentTimeToLiveMs ?? 300_000),
      userId: options.userId ?? this.options.userId ?? 'alice@example.com',
      displayName:
        options.displayName !== undefined
          ? options.displayName
          : (this.options.displayName ?? null),
      used: false,
    });
    return encodeCompactPayload({ kind: 'enrollment', format: 'compact', enrollmentId, secret });
  }

  /** Starts a login as a website would; `appUrl` is where the QR's URL points. */
  startLogin(appUrl = 'https://scan.example/', options: MockLoginOptions = {}): MockLogin {
    if (options.numberMatchCode !== undefined) checkMatchNumber(options.numberMatchCode);
    const transactionId = crypto.randomUUID();
    const otp = randomHex();
    const createdAt = this.now();
    this.transactions.set(transactionId, {
      otp,
      createdAt,
      expiresAt: createdAt + (this.options.timeToLiveMs ?? 60_000),
      numberMatchCode: options.numberMatchCode,
      requiredUserId: options.userId,
      state: 'pending',
    });
    const payload = { kind: 'authentication', format: 'compact', transactionId, otp } as const;
    return {
      transactionId,
      otp,
      code: encodeCompactPayload(payload),
      qr: encodeQrText(appUrl, payload),
      ...(options.numberMatchCode === undefined
        ? {}
        : { numberMatchCode: options.numberMatchCode }),
    };
  }

  /** Where a login stands: `pending`, `scanned`, `accepted`, `denied` or `expired`; undefined if unknown. */
  loginState(transactionId: string): LoginState | 'expired' | undefined {
    const transaction = this.transactions.get(transactionId);
    if (transaction === undefined) return undefined;
    return isOpen(transaction) && this.now() >= transaction.expiresAt
      ? 'expired'
      : transaction.state;
  }

  /** Revokes a linked phone, as the website may: its calls get 401 (9002). False if unknown. */
  revokeDevice(deviceId: string): boolean {
    const device = this.devices.get(deviceId);
    if (device === undefined) return false;
    device.revoked = true;
    return true;
  }

  private async handle(
    endpoint: MobileApiEndpoint,
    id: string,
    request: Request,
  ): Promise<Response> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const url = new URL(request.url);
    const signed: SignedHttpRequest = {
      method: request.method,
      pathAndQuery: url.pathname + url.search,
      headers: request.headers,
      body: bytes,
    };
    let response: Response;
    try {
      response = await this.answerCall(endpoint, id, signed);
    } catch (error) {
      if (!(error instanceof MobileApiRefusal)) throw error;
      response = this.json(error.toJSON(), error.status, error.headers);
    }
    this.calls.push({
      endpoint,
      id,
      status: response.type === 'error' ? 0 : response.status,
      body: parseJson(bytes),
    });
    return response;
  }

  /** The real server's order: the body cap, the scenario's rate limit, the path, then the call. */
  private async answerCall(
    endpoint: MobileApiEndpoint,
    id: string,
    request: SignedHttpRequest,
  ): Promise<Response> {
    if (this.scenario === 'network-failure') return HttpResponse.error();
    if (request.body.length > MOBILE_API_MAX_BODY_BYTES) {
      throw new MobileApiRefusal(
        'request_too_large',
        `The request body is larger than ${MOBILE_API_MAX_BODY_BYTES} bytes.`,
      );
    }
    if (this.scenario === 'rate-limited') {
      throw new MobileApiRefusal('rate_limited', undefined, { headers: { 'Retry-After': '30' } });
    }
    if (this.scenario === 'server-error') {
      return this.json({ error: 'server_error', error_description: 'The server failed.' }, 500);
    }
    if (endpoint === 'enroll') {
      parseEnrollmentIdParam(id);
      return this.enroll(id, request);
    }
    parseTransactionIdParam(id);
    if (this.scenario === 'device-deregistered') throw new MobileApiRefusal('device_deregistered');
    const device = await verifyDeviceCall(
      request,
      (deviceId) => this.findDevice(deviceId),
      this.checks,
    );
    return endpoint === 'redeem'
      ? this.redeem(id, device, request.body)
      : this.answer(id, device, request.body);
  }

  private async enroll(enrollmentId: string, request: SignedHttpRequest): Promise<Response> {
    const { body, publicKey } = await verifyEnrollmentCall(request, this.checks);
    const enrollment = this.enrollments.get(enrollmentId);
    if (enrollment?.secret !== body.secret) {
      throw new MobileApiRefusal('request_not_found', 'This code to link a phone is unknown.');
    }
    if (enrollment.used) throw new MobileApiRefusal('device_already_enrolled');
    if (this.now() >= enrollment.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'This code to link a phone expired.');
    }
    enrollment.used = true;
    const device: Device = {
      id: randomHex(),
      key: publicKey,
      userId: enrollment.userId,
      revoked: false,
    };
    this.devices.set(device.id, device);
    const linked: MobileEnrollResponse = {
      device_id: device.id,
      user_id: device.userId,
      display_name: enrollment.displayName,
      site: this.options.site ?? 'Demo Bank',
    };
    return this.json(linked, MOBILE_API_ENDPOINTS.enroll.status);
  }

  private redeem(transactionId: string, device: Device, bytes: Uint8Array): Response {
    const { otp } = parseMobileApiBody(MobileRedeemRequest, bytes);
    const transaction = this.transactions.get(transactionId);
    if (transaction?.otp !== otp) throw new MobileApiRefusal('request_not_found');
    // As the Token Server does: the phone that redeemed may ask again (its response was lost).
    const retry = transaction.state === 'scanned' && transaction.deviceId === device.id;
    if (this.scenario === 'already-handled' || (transaction.state !== 'pending' && !retry)) {
      throw new MobileApiRefusal('already_handled');
    }
    if (this.scenario === 'expired' || this.now() >= transaction.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'The login request expired.');
    }
    if (!retry && transaction.requiredUserId !== undefined) {
      if (transaction.requiredUserId !== device.userId) throw new MobileApiRefusal('wrong_user');
    }
    transaction.state = 'scanned';
    transaction.deviceId = device.id;
    const numberMatchCode = this.numberMatchCodeOf(transaction);
    const details: MobileRedeemResponse = {
      transaction_id: transactionId,
      message: this.options.message ?? 'Log in to Demo Bank',
      site: this.options.site ?? 'Demo Bank',
      browser: this.options.browser === undefined ? 'Firefox 128' : this.options.browser,
      os: this.options.os === undefined ? 'Windows 10' : this.options.os,
      same_network: this.options.sameNetwork === undefined ? true : this.options.sameNetwork,
      requested_at: new Date(transaction.createdAt).toISOString(),
      expires_at: new Date(transaction.expiresAt).toISOString(),
      ...(numberMatchCode === undefined
        ? {}
        : { number_match_choices: numberMatchChoices(numberMatchCode) }),
    };
    return this.json(details, MOBILE_API_ENDPOINTS.redeem.status);
  }

  private answer(transactionId: string, device: Device, bytes: Uint8Array): Response {
    const body = parseMobileApiBody(MobileAnswerRequest, bytes);
    const transaction = this.transactions.get(transactionId);
    if (transaction === undefined) throw new MobileApiRefusal('request_not_found');
    if (transaction.state === 'accepted' || transaction.state === 'denied') {
      throw new MobileApiRefusal('already_handled');
    }
    if (this.scenario === 'expire-before-answer' || this.now() >= transaction.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'The login request expired.');
    }
    if (transaction.state === 'pending') throw new MobileApiRefusal('not_in_progress');
    if (transaction.deviceId !== device.id) {
      throw new MobileApiRefusal('already_handled', 'Another device is answering this request.');
    }
    const numberMatchCode = this.numberMatchCodeOf(transaction);
    const rightNumber = numberMatchCode === undefined || body.number === numberMatchCode;
    const accepted = body.answer === 'accept' && rightNumber && this.scenario !== 'deny';
    transaction.state = accepted ? 'accepted' : 'denied';
    const recorded: MobileAnswerResponse = { status: transaction.state };
    return this.json(recorded, MOBILE_API_ENDPOINTS.answer.status);
  }

  /** The login's own number, else the scenario's (which may be switched on later). */
  private numberMatchCodeOf(transaction: Transaction): string | undefined {
    if (transaction.numberMatchCode !== undefined) return transaction.numberMatchCode;
    return this.scenario === 'number-matching'
      ? (this.options.numberMatchCode ?? DEFAULT_NUMBER_MATCH_CODE)
      : undefined;
  }

  private findDevice(deviceId: string): Promise<KnownDevice<Device> | undefined> {
    const device = this.devices.get(deviceId);
    return Promise.resolve(
      device === undefined || device.revoked
        ? undefined
        : { device, verify: webCryptoVerifier(device.key) },
    );
  }

  private claimNonce(scope: string, nonce: string, keepUntil: number): boolean {
    const now = this.now();
    for (const [used, until] of this.nonces) if (until < now) this.nonces.delete(used);
    const key = `${scope}:${nonce}`;
    if (this.nonces.has(key)) return false;
    this.nonces.set(key, keepUntil);
    return true;
  }

  private json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
    return HttpResponse.json(body as Record<string, unknown>, {
      status,
      headers: {
        'Cache-Control': 'no-store',
        Date: new Date(this.now()).toUTCString(),
        ...headers,
      },
    });
  }
}

function isOpen(transaction: Transaction): boolean {
  return transaction.state === 'pending' || transaction.state === 'scanned';
}

function checkMatchNumber(code: string): void {
  if (!v.is(MatchNumber, code)) throw new TypeError('numberMatchCode must be two digits.');
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
