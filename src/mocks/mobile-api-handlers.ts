import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  encodeCompactPayload,
  encodeQrText,
  fromBase64Url,
  isDeviceName,
  NONCE_PATTERN,
  SDK_ERRORS,
  sha256Base64Url,
  signatureBaseString,
  SIGNATURE_HEADERS,
  type SdkErrorName,
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
 * In every scenario the mock checks what the real server checks: the signature (with the key the
 * phone enrolled through the mock), the clock skew, single-use nonces, OTPs and enrollment codes.
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
  /** The user of every enrollment. Default `alice@example.com`. */
  readonly userId?: string;
  /** The name every enrollment gives the account, as a website may. Default none (null). */
  readonly displayName?: string | null;
  /** The right number for `number-matching`. Default `42`. */
  readonly numberMatchCode?: string;
  /** How far the phone's clock may be off, ms. Default 120 000. */
  readonly clockSkewMs?: number;
  /** The server's clock. Default `Date.now`. Its time goes out in every `Date` header. */
  readonly now?: () => number;
}

/** One call the mock received, in order. */
export interface MobileApiMockCall {
  readonly endpoint: 'enroll' | 'redeem' | 'answer';
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
}

type LoginState = 'pending' | 'scanned' | 'accepted' | 'denied';

interface Transaction {
  readonly otp: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  state: LoginState;
  deviceId?: string;
}

interface Device {
  readonly key: CryptoKey;
  readonly userId: string;
}

const API_PATH = '/api/mobile/v1';
const HEX128 = /^[0-9a-f]{32}$/;

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
  private readonly transactions = new Map<string, Transaction>();
  private readonly enrollments = new Map<string, { secret: string; used: boolean }>();
  private readonly devices = new Map<string, Device>();
  private readonly nonces = new Set<string>();

  constructor(options: MobileApiMockOptions = {}) {
    this.options = options;
    this.scenario = options.scenario ?? 'accept-confirmed';
    this.tokenServerUrl = (options.tokenServerUrl ?? 'https://token-server.mock').replace(
      /\/+$/,
      '',
    );
    this.now = options.now ?? Date.now;
    const base = `${this.tokenServerUrl}${API_PATH}`;
    this.handlers = [
      http.post(`${base}/enrollments/:id`, ({ request, params }) =>
        this.handle('enroll', String(params.id), request),
      ),
      http.post(`${base}/transactions/:id/redeem`, ({ request, params }) =>
        this.handle('redeem', String(params.id), request),
      ),
      http.post(`${base}/transactions/:id/answer`, ({ request, params }) =>
        this.handle('answer', String(params.id), request),
      ),
    ];
  }

  /** A new one-time "Link your phone" code (compact digits) for the SDK's enrollment. */
  enrollmentCode(): string {
    const enrollmentId = randomHex();
    const secret = randomHex();
    this.enrollments.set(enrollmentId, { secret, used: false });
    return encodeCompactPayload({ kind: 'enrollment', format: 'compact', enrollmentId, secret });
  }

  /** Starts a login as a website would; `appUrl` is where the QR's URL points. */
  startLogin(appUrl = 'https://scan.example/'): MockLogin {
    const transactionId = randomHex();
    const otp = randomHex();
    const createdAt = this.now();
    this.transactions.set(transactionId, {
      otp,
      createdAt,
      expiresAt: createdAt + (this.options.timeToLiveMs ?? 60_000),
      state: 'pending',
    });
    const payload = { kind: 'authentication', format: 'compact', transactionId, otp } as const;
    return {
      transactionId,
      otp,
      code: encodeCompactPayload(payload),
      qr: encodeQrText(appUrl, payload),
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

  private async handle(
    endpoint: MobileApiMockCall['endpoint'],
    id: string,
    request: Request,
  ): Promise<Response> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const body = parseJson(bytes);
    const response = await this.answerCall(endpoint, id, request, bytes, body);
    this.calls.push({
      endpoint,
      id,
      status: response.type === 'error' ? 0 : response.status,
      body,
    });
    return response;
  }

  private async answerCall(
    endpoint: MobileApiMockCall['endpoint'],
    id: string,
    request: Request,
    bytes: Uint8Array,
    body: unknown,
  ): Promise<Response> {
    switch (this.scenario) {
      case 'network-failure':
        return HttpResponse.error();
      case 'rate-limited':
        return this.error('RATE_LIMITED', 429, 'slow_down', { 'Retry-After': '30' });
      case 'server-error':
        return this.json({ error: 'server_error', error_description: 'The server failed.' }, 500);
      default:
        break;
    }
    if (!HEX128.test(id)) return this.notFound();
    if (endpoint === 'enroll') return this.enroll(id, request, bytes, body);
    if (this.scenario === 'device-deregistered') {
      return this.error('DEVICE_DEREGISTERED', 401, 'device_deregistered');
    }
    const deviceId = request.headers.get(SIGNATURE_HEADERS.deviceId) ?? '';
    const device = this.devices.get(deviceId);
    if (device === undefined) return this.error('DEVICE_DEREGISTERED', 401, 'device_deregistered');
    const refused = await this.verify(request, bytes, device.key, deviceId, deviceId);
    if (refused !== undefined) return refused;
    return endpoint === 'redeem'
      ? this.redeem(id, deviceId, body)
      : this.answer(id, deviceId, body);
  }

  private async enroll(
    enrollmentId: string,
    request: Request,
    bytes: Uint8Array,
    body: unknown,
  ): Promise<Response> {
    const fields = body as { secret?: unknown; public_key?: unknown; device_name?: unknown };
    if (
      !isRecord(body) ||
      typeof fields.secret !== 'string' ||
      !HEX128.test(fields.secret) ||
      !isDeviceName(fields.device_name) ||
      Object.keys(body).some((key) => !['secret', 'public_key', 'device_name'].includes(key))
    ) {
      return this.error('INVALID_REQUEST', 400, 'invalid_request');
    }
    const key = await importPublicKey(fields.public_key);
    if (key === undefined) return this.error('INVALID_REQUEST', 401, 'invalid_request');
    const jwk = fields.public_key as { x: string };
    const refused = await this.verify(request, bytes, key, '', `enroll:${jwk.x}`);
    if (refused !== undefined) return refused;
    const enrollment = this.enrollments.get(enrollmentId);
    if (enrollment?.secret !== fields.secret) return this.notFound();
    if (enrollment.used)
      return this.error('DEVICE_ALREADY_ENROLLED', 409, 'device_already_enrolled');
    enrollment.used = true;
    const deviceId = randomHex();
    const userId = this.options.userId ?? 'alice@example.com';
    this.devices.set(deviceId, { key, userId });
    return this.json(
      {
        device_id: deviceId,
        user_id: userId,
        display_name: this.options.displayName ?? null,
        site: this.options.site ?? 'Demo Bank',
      },
      201,
    );
  }

  private redeem(transactionId: string, deviceId: string, body: unknown): Response {
    if (!isRecord(body) || Object.keys(body).join() !== 'otp' || typeof body.otp !== 'string') {
      return this.error('INVALID_REQUEST', 400, 'invalid_request');
    }
    const transaction = this.transactions.get(transactionId);
    if (transaction?.otp !== body.otp) return this.notFound();
    // As the Token Server does: the phone that redeemed may ask again (its response was lost).
    const retry = transaction.state === 'scanned' && transaction.deviceId === deviceId;
    if (this.scenario === 'already-handled' || (transaction.state !== 'pending' && !retry)) {
      return this.error(
        'MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED',
        409,
        'mobile_authentication_request_already_handled',
      );
    }
    if (this.scenario === 'expired' || this.now() >= transaction.expiresAt) return this.expired();
    transaction.state = 'scanned';
    transaction.deviceId = deviceId;
    const right = this.options.numberMatchCode ?? '42';
    return this.json({
      transaction_id: transactionId,
      message: this.options.message ?? 'Log in to Demo Bank',
      site: this.options.site ?? 'Demo Bank',
      browser: this.options.browser === undefined ? 'Firefox 128' : this.options.browser,
      os: this.options.os === undefined ? 'Windows 10' : this.options.os,
      same_network: this.options.sameNetwork === undefined ? true : this.options.sameNetwork,
      requested_at: new Date(transaction.createdAt).toISOString(),
      expires_at: new Date(transaction.expiresAt).toISOString(),
      ...(this.scenario === 'number-matching'
        ? { number_match_choices: numberChoices(right) }
        : {}),
    });
  }

  private answer(transactionId: string, deviceId: string, body: unknown): Response {
    const fields = body as { answer?: unknown; number?: unknown };
    if (
      !isRecord(body) ||
      (fields.answer !== 'accept' && fields.answer !== 'deny') ||
      (fields.number !== undefined &&
        (typeof fields.number !== 'string' || !/^\d{2}$/.test(fields.number))) ||
      Object.keys(body).some((key) => key !== 'answer' && key !== 'number')
    ) {
      return this.error('INVALID_REQUEST', 400, 'invalid_request');
    }
    const transaction = this.transactions.get(transactionId);
    if (transaction === undefined) return this.notFound();
    if (transaction.state === 'accepted' || transaction.state === 'denied') {
      return this.alreadyHandled();
    }
    if (this.scenario === 'expire-before-answer' || this.now() >= transaction.expiresAt) {
      return this.expired();
    }
    if (transaction.state === 'pending') {
      return this.error(
        'OTP_AUTHENTICATION_NOT_IN_PROGRESS',
        409,
        'otp_authentication_not_in_progress',
      );
    }
    if (transaction.deviceId !== deviceId) return this.alreadyHandled();
    const rightNumber =
      this.scenario !== 'number-matching' ||
      fields.number === (this.options.numberMatchCode ?? '42');
    const accepted = fields.answer === 'accept' && rightNumber && this.scenario !== 'deny';
    transaction.state = accepted ? 'accepted' : 'denied';
    return this.json({ status: transaction.state });
  }

  /** The real server's signature checks, in its order; undefined when the call passes. */
  private async verify(
    request: Request,
    bytes: Uint8Array,
    key: CryptoKey,
    deviceId: string,
    nonceScope: string,
  ): Promise<Response | undefined> {
    const headers = request.headers;
    const timestamp = headers.get(SIGNATURE_HEADERS.timestamp) ?? '';
    const nonce = headers.get(SIGNATURE_HEADERS.nonce) ?? '';
    const signature = fromBase64Url(headers.get(SIGNATURE_HEADERS.signature) ?? '');
    if (!/^\d{13}$/.test(timestamp) || !NONCE_PATTERN.test(nonce) || signature?.length !== 64) {
      return this.error('INVALID_REQUEST', 401, 'invalid_request');
    }
    if (Math.abs(this.now() - Number(timestamp)) > (this.options.clockSkewMs ?? 120_000)) {
      return this.error('INVALID_DATETIME', 401, 'invalid_datetime');
    }
    const url = new URL(request.url);
    const baseString = signatureBaseString({
      method: request.method,
      pathAndQuery: url.pathname + url.search,
      bodySha256: await sha256Base64Url(bytes),
      timestamp,
      nonce,
      deviceId,
    });
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      signature as BufferSource,
      new TextEncoder().encode(baseString),
    );
    if (!valid) return this.error('INVALID_REQUEST', 401, 'invalid_request');
    const scoped = `${nonceScope}:${nonce}`;
    if (this.nonces.has(scoped)) return this.error('INVALID_REQUEST', 401, 'invalid_request');
    this.nonces.add(scoped);
    return undefined;
  }

  private notFound(): Response {
    return this.error(
      'MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND',
      404,
      'mobile_authentication_request_not_found',
    );
  }

  private expired(): Response {
    return this.error(
      'MOBILE_AUTHENTICATION_REQUEST_EXPIRED',
      410,
      'mobile_authentication_request_expired',
    );
  }

  private alreadyHandled(): Response {
    return this.error(
      'MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED',
      409,
      'mobile_authentication_request_already_handled',
    );
  }

  private error(
    name: SdkErrorName,
    status: number,
    error: string,
    headers: Record<string, string> = {},
  ): Response {
    const entry = SDK_ERRORS[name];
    return this.json(
      { error, error_description: entry.description, error_code: entry.code },
      status,
      headers,
    );
  }

  private json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

async function importPublicKey(jwk: unknown): Promise<CryptoKey | undefined> {
  if (!isRecord(jwk) || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) return undefined;
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined;
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    );
  } catch {
    return undefined;
  }
}

function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** The right number and two other two-digit numbers, shuffled. */
function numberChoices(right: string): string[] {
  const choices = new Set([right]);
  while (choices.size < 3) choices.add(String(randomBelow(100)).padStart(2, '0'));
  const list = [...choices];
  for (let index = list.length - 1; index > 0; index--) {
    const other = randomBelow(index + 1);
    [list[index], list[other]] = [list[other] as string, list[index] as string];
  }
  return list;
}

function randomBelow(limit: number): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % limit;
}
