import * as v from 'valibot';
import {
  DeviceListResponse,
  EnrollmentStatusResponse,
  isLoginStatus,
  PRESENCE_TRIES,
  type EnrollmentStatus,
  type LoginStatus,
} from '../../protocol/index.js';
import { readTextUpTo } from '../security/bounded-body.js';
import { KitError } from './kit-errors.js';

/**
 * How the kit reads results. `auto`: the batched long-poll, else one long-poll a login, else
 * plain reads, whichever the server has first. `per-login`: skip the batched one. `never`: plain reads.
 */
export type LongPollMode = 'auto' | 'per-login' | 'never';

export interface RelyingPartyClientOptions {
  /** Base URL of the Token Server, e.g. `https://tokens.example.com` (no `/oauth/...`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** `auto` (default): use the long-poll extensions when the server has them; see LongPollMode. */
  longPoll?: LongPollMode;
  /** The fetch to use; defaults to the global one. Tests pass an in-process server's. */
  fetch?: (request: Request) => Promise<Response>;
  /** Milliseconds before a call without a wait gives up. Default 10 000. */
  timeoutMs?: number;
}

export interface InitializeFields {
  type: string;
  callbackUri: string;
  message?: string;
  ipAddress?: string;
  userAgent?: string;
  languageCode?: string;
  userId?: string;
}

export interface InitializeResult {
  transactionId: string;
  /** Milliseconds until the login request expires. */
  timeToLive: number;
  /** The code for the QR: compact digits (reference server) or base64 JSON (Onegini). */
  otp: string;
  numberMatchCode: string | undefined;
}

export interface TransactionResult {
  /** The status, read from the `status` extension or derived from Onegini's fields. */
  status: LoginStatus;
  userId: string | null;
  isAuthenticated: boolean;
  /**
   * With `confirm` (the phone accepted; the browser must type the phone's code): the codes the
   * browser may still type, when the server said (reference-server extension).
   */
  presenceTriesLeft?: number;
}

/** What one batched wait learned: the logins whose status differs, and the ids the server lacks. */
export interface BatchedWaitAnswer {
  changed: Map<string, TransactionResult>;
  unknown: string[];
}

export interface EnrollmentStart {
  enrollmentId: string;
  code: string;
  timeToLive: number;
}

/** What the Token Server is told when a phone link starts. */
export interface EnrollmentFields {
  /** The name the phone shows for the account (isDisplayName); default none. */
  displayName?: string;
  /** The address of the browser that shows the linking page, which the phone shows before it links. */
  ipAddress?: string;
  /** That browser's User-Agent, as it sent it. */
  userAgent?: string;
}

/** Where one phone link stands (`GET /enrollments/{id}`, reference-server extension). */
export interface EnrollmentState {
  enrollmentId: string;
  status: EnrollmentStatus;
  /** The website's user the link is for. */
  userId: string;
  /** The device that used the code; null while none has. */
  deviceId: string | null;
  deviceName: string | null;
  /** While `confirm`: the code the phone shows, which the linking page must show beside it. */
  compareCode: string | undefined;
  /** Epoch ms: when the code, or the wait for the website's confirmation, runs out. */
  expiresAt: number;
}

export interface LinkedDevice {
  deviceId: string;
  userId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  /**
   * When the website confirmed the link (its user compared the codes); null while the link is
   * pending, when the phone answers no login. A server that does not say (one from before links
   * were confirmed) links phones at once: then it is `createdAt`.
   */
  confirmedAt: string | null;
  /**
   * Whether the phone has a passkey, and so asks for its user's fingerprint or face before a
   * login where the login type wants it. False from a server that does not say.
   */
  userVerifying: boolean;
}

const API = '/oauth/api/v4';
/** The largest answer the kit reads from the Token Server, in bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * The website backend's side of the Token Server: Onegini's v4 relying-party API (initialize, read
 * the result) plus the reference server's extensions (long-poll, enrollments, devices). Every
 * Onegini server supports the first two; the kit degrades without the extensions.
 */
export class RelyingPartyClient {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly send: (request: Request) => Promise<Response>;
  private readonly timeoutMs: number;
  /** Whether the server answered a wait with the `status` extension; unknown until the first read. */
  private longPollSupported: boolean | undefined;
  /** The mode the website chose; the kit reads it to decide on batching. */
  readonly longPollMode: LongPollMode;

  constructor(options: RelyingPartyClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError('tokenServer.url must be an absolute URL.');
    }
    if (options.clientId === '' || options.clientSecret === '')
      throw new TypeError('tokenServer.clientId and clientSecret must not be empty.');
    this.baseUrl = url.href.replace(/\/+$/, '');
    // OAuth 2.0 (RFC 6749 §2.3.1) form-encodes both parts before Basic; the server decodes them.
    this.authorization = `Basic ${Buffer.from(
      `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
    ).toString('base64')}`;
    this.send = options.fetch ?? ((request) => fetch(request));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.longPollSupported = options.longPoll === 'never' ? false : undefined;
    this.longPollMode = options.longPoll ?? 'auto';
  }

  /** True once the server showed the long-poll extension; false when it lacks it or it is off. */
  get supportsLongPoll(): boolean | undefined {
    return this.longPollSupported;
  }

  async initialize(fields: InitializeFields): Promise<InitializeResult> {
    const form = new URLSearchParams({ type: fields.type, callback_uri: fields.callbackUri });
    if (fields.message !== undefined) form.set('message', fields.message);
    if (fields.ipAddress !== undefined) form.set('ip_address', fields.ipAddress);
    if (fields.userAgent !== undefined) form.set('user_agent', fields.userAgent);
    if (fields.languageCode !== undefined) form.set('language_code', fields.languageCode);
    if (fields.userId !== undefined) form.set('user_id', fields.userId);
    const body = await this.call('POST', '/authenticate/user', { form });
    const transactionId = stringField(body, 'transaction_id');
    const otp = stringField(body, 'otp');
    const timeToLive = body['time_to_live'];
    if (typeof timeToLive !== 'number' || !(timeToLive > 0))
      throw badResponse('time_to_live is not a positive number.');
    const code = body['number_match_code'];
    if (code !== undefined && typeof code !== 'string')
      throw badResponse('number_match_code is not a string.');
    return { transactionId, otp, timeToLive, numberMatchCode: code };
  }

  /**
   * Reads a login's result. With `wait`, asks the server to hold the call until the status differs
   * from `knownStatus` (the reference server's extension); a server without it answers at once,
   * and from then on the kit polls it instead. `expiresAt` lets the kit tell `expired` from
   * `pending` on a server that reports neither.
   */
  async result(
    transactionId: string,
    options: {
      wait?: number;
      knownStatus?: LoginStatus;
      expiresAt?: number;
      now?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<TransactionResult> {
    const path = `/authenticate/transaction/${encodeURIComponent(transactionId)}`;
    const wait = options.wait ?? 0;
    const useWait = wait > 0 && this.longPollSupported !== false;
    let body: Record<string, unknown>;
    if (useWait) {
      const query = new URLSearchParams({
        wait: String(Math.floor(wait)),
        status: options.knownStatus ?? 'pending',
      });
      try {
        body = await this.call('GET', `${path}?${query.toString()}`, {
          signal: options.signal,
          timeoutMs: wait * 1000 + this.timeoutMs,
        });
      } catch (error) {
        // A server that refuses the unknown parameters lacks the extension: read without them.
        if (error instanceof KitError && error.status === 400 && this.longPollSupported !== true) {
          this.longPollSupported = false;
          body = await this.call('GET', path, { signal: options.signal });
        } else throw error;
      }
    } else {
      body = await this.call('GET', path, { signal: options.signal });
    }
    const hasStatus = isLoginStatus(body['status']);
    if (useWait && this.longPollSupported === undefined) this.longPollSupported = hasStatus;
    return toResult(body, options.expiresAt, options.now ?? Date.now());
  }

  /**
   * The batched long-poll (reference-server extension): one request waits on up to 250 logins,
   * each with the status the caller knows, and answers when any of them differs or after `wait`
   * seconds. Only ids that were asked about are taken from the answer.
   */
  async waitForChanges(
    known: ReadonlyMap<string, LoginStatus>,
    wait: number,
    signal?: AbortSignal,
  ): Promise<BatchedWaitAnswer> {
    const body = await this.call('POST', '/authenticate/transactions/wait', {
      json: { wait: Math.floor(wait), transactions: Object.fromEntries(known) },
      signal,
      timeoutMs: wait * 1000 + this.timeoutMs,
    });
    const entries = body['transactions'];
    const unknown = body['unknown'];
    if (!Array.isArray(entries) || !Array.isArray(unknown))
      throw badResponse('transactions or unknown is not a list.');
    const changed = new Map<string, TransactionResult>();
    const now = Date.now();
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw badResponse('A transaction is not an object.');
      const result = entry as Record<string, unknown>;
      const id = stringField(result, 'transaction_id');
      if (known.has(id)) changed.set(id, toResult(result, undefined, now));
    }
    return {
      changed,
      unknown: unknown.filter((id): id is string => typeof id === 'string' && known.has(id)),
    };
  }

  /**
   * Starts linking a phone to `userId` (reference-server extension): shown on the phone as
   * `displayName`, with the browser that shows the linking page.
   */
  async startEnrollment(userId: string, fields: EnrollmentFields = {}): Promise<EnrollmentStart> {
    const form = new URLSearchParams({ user_id: userId });
    if (fields.displayName !== undefined) form.set('display_name', fields.displayName);
    if (fields.ipAddress !== undefined) form.set('ip_address', fields.ipAddress);
    if (fields.userAgent !== undefined) form.set('user_agent', fields.userAgent);
    const body = await this.call('POST', '/enrollments', { form });
    const timeToLive = body['time_to_live'];
    if (typeof timeToLive !== 'number' || !(timeToLive > 0))
      throw badResponse('time_to_live is not a positive number.');
    return {
      enrollmentId: stringField(body, 'enrollment_id'),
      code: stringField(body, 'code'),
      timeToLive,
    };
  }

  /** Where phone link `enrollmentId` stands (reference-server extension). */
  async enrollmentStatus(enrollmentId: string, signal?: AbortSignal): Promise<EnrollmentState> {
    const body = await this.call('GET', `/enrollments/${encodeURIComponent(enrollmentId)}`, {
      signal,
    });
    return toEnrollmentState(body, enrollmentId);
  }

  /**
   * The website's user's word on phone link `enrollmentId`: whether the phone shows the code the
   * linking page shows. `true` lets the phone answer logins; `false` revokes it. Only once, while
   * the link is `confirm` (reference-server extension).
   */
  async confirmEnrollment(enrollmentId: string, matches: boolean): Promise<EnrollmentState> {
    const body = await this.call(
      'POST',
      `/enrollments/${encodeURIComponent(enrollmentId)}/confirm`,
      { form: new URLSearchParams({ matches: String(matches) }) },
    );
    return toEnrollmentState(body, enrollmentId);
  }

  /**
   * Proof of presence: the code the browser's user typed for a login whose phone accepted
   * (status `confirm`). The right one makes it `accepted`; a wrong one leaves it `confirm` with
   * one try fewer, or `denied` after the last (reference-server extension).
   */
  async provePresence(transactionId: string, code: string): Promise<TransactionResult> {
    if (!/^\d{6}$/.test(code)) throw new TypeError('A presence code is six digits.');
    const body = await this.call(
      'POST',
      `/authenticate/transaction/${encodeURIComponent(transactionId)}/presence`,
      { form: new URLSearchParams({ code }) },
    );
    return toResult(body, undefined, Date.now());
  }

  /** The phones linked to `userId`, revoked ones included (reference-server extension). */
  async listDevices(userId: string, signal?: AbortSignal): Promise<LinkedDevice[]> {
    const body = await this.call('GET', `/users/${encodeURIComponent(userId)}/devices`, {
      signal,
    });
    const parsed = v.safeParse(DeviceListResponse, body);
    if (!parsed.success) throw badResponse(`the devices: ${v.summarize(parsed.issues)}`);
    return parsed.output.devices.map((device) => ({
      deviceId: device.device_id,
      userId: device.user_id,
      name: device.name,
      createdAt: device.created_at,
      revokedAt: device.revoked_at,
      // Only an explicit null is a pending link; a server that does not say links at once.
      confirmedAt: device.confirmed_at === undefined ? device.created_at : device.confirmed_at,
      userVerifying: device.user_verifying,
    }));
  }

  /** Revokes a phone (reference-server extension). */
  async revokeDevice(deviceId: string): Promise<void> {
    await this.call('DELETE', `/devices/${encodeURIComponent(deviceId)}`, { empty: true });
  }

  private async call(
    method: string,
    path: string,
    options: {
      form?: URLSearchParams;
      json?: unknown;
      signal?: AbortSignal | undefined;
      timeoutMs?: number;
      empty?: boolean;
    } = {},
  ): Promise<Record<string, unknown>> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers = new Headers({ Authorization: this.authorization, Accept: 'application/json' });
    if (options.form) headers.set('Content-Type', 'application/x-www-form-urlencoded');
    if (options.json !== undefined) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await this.send(
        new Request(`${this.baseUrl}${API}${path}`, {
          method,
          headers,
          signal,
          ...(options.form ? { body: options.form.toString() } : {}),
          ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        }),
      );
    } catch (cause) {
      throw new KitError('token_server_unreachable', 'The Token Server did not answer.', { cause });
    }
    if (options.empty && response.ok) {
      await response.body?.cancel();
      return {};
    }
    const text = await readTextUpTo(response, BODY_LIMIT);
    if (text === undefined) {
      // Let go of what was not read: the connection is not held for the rest of the answer.
      await response.body?.cancel();
      throw badResponse('The answer is too large.');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new KitError(
        'token_server_bad_response',
        `The Token Server answered ${response.status} without JSON.`,
        { status: response.status, cause },
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badResponse('The answer is not a JSON object.');
    const record = body as Record<string, unknown>;
    if (!response.ok) {
      const code = record['error_code'];
      throw new KitError(
        'token_server_refused',
        `The Token Server refused ${method} ${path.split('?')[0] ?? ''}: ${response.status} ${String(record['error'])}.`,
        {
          status: response.status,
          ...(typeof code === 'number' ? { tokenServerCode: code } : {}),
        },
      );
    }
    return record;
  }
}

function toResult(
  body: Record<string, unknown>,
  expiresAt: number | undefined,
  now: number,
): TransactionResult {
  const isAuthenticated = body['is_authenticated'] === true;
  const userId = typeof body['user_id'] === 'string' ? body['user_id'] : null;
  const reported = body['status'];
  let status: LoginStatus;
  if (isLoginStatus(reported)) status = reported;
  // Onegini's own fields: an answer sets is_authenticated or a reason; the rest is the clock's.
  else if (isAuthenticated) status = 'accepted';
  else if (typeof body['not_authenticated_reason'] === 'object' && body['not_authenticated_reason'])
    status = 'denied';
  else if (expiresAt !== undefined && now >= expiresAt) status = 'expired';
  else status = userId === null ? 'pending' : 'scanned';
  // Never trust an accepted without is_authenticated, whatever the status field says.
  if (status === 'accepted' && !isAuthenticated) status = 'denied';
  const triesLeft = body['presence_tries_left'];
  return {
    status,
    userId,
    isAuthenticated,
    ...(status === 'confirm' &&
    typeof triesLeft === 'number' &&
    Number.isInteger(triesLeft) &&
    triesLeft >= 1 &&
    triesLeft <= PRESENCE_TRIES
      ? { presenceTriesLeft: triesLeft }
      : {}),
  };
}

/** An enrollment's status as the kit reads it: the protocol's schema, and the id it asked for. */
function toEnrollmentState(body: Record<string, unknown>, enrollmentId: string): EnrollmentState {
  const parsed = v.safeParse(EnrollmentStatusResponse, body);
  if (!parsed.success) throw badResponse(`the enrollment: ${v.summarize(parsed.issues)}`);
  const state = parsed.output;
  if (state.enrollment_id !== enrollmentId) throw badResponse('it is about another enrollment.');
  if (state.status === 'confirm' && state.compare_code === undefined)
    throw badResponse('a link to confirm has no compare_code.');
  return {
    enrollmentId: state.enrollment_id,
    status: state.status,
    userId: state.user_id,
    deviceId: state.device_id,
    deviceName: state.device_name,
    compareCode: state.status === 'confirm' ? state.compare_code : undefined,
    expiresAt: Date.parse(state.expires_at),
  };
}

function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '' || value.length > 2048)
    throw badResponse(`${field} is missing or not a string.`);
  return value;
}

function badResponse(message: string): KitError {
  return new KitError(
    'token_server_bad_response',
    `The Token Server's answer is invalid: ${message}`,
  );
}
