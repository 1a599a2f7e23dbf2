import { MAX_QR_TEXT_LENGTH } from './limits.js';
import { isLoginStatus, type LoginStatus } from './login-status.js';

/**
 * The contract between a website's backend (the relying-party kit serves it) and `<otp-login-qr>`
 * (which consumes it). MSW's handlers in `otp-login-qr/mocks` answer with the same shapes.
 *
 * - `POST {endpoint}` → 201 {@link StartLoginResponse}, plus an HttpOnly binding cookie.
 * - `GET {endpoint}/{id}?wait=N` with that cookie → 200 {@link LoginStatusResponse}, or 400
 *   {@link SlowDownResponse} when the browser polls too fast, or 429 with `Retry-After`.
 *
 * Durations are in seconds, as in OAuth's device flow (RFC 8628), which this contract follows.
 */
export interface StartLoginResponse {
  /** Opaque login id; goes into the status URL. */
  readonly id: string;
  /** The exact text to encode in the QR code. */
  readonly qr: string;
  /** Seconds until this QR stops working. */
  readonly expires_in: number;
  /** Seconds the browser waits between two status requests. */
  readonly interval: number;
  /** The number-matching code to show next to the QR, when the server uses number matching. */
  readonly code?: string;
  /** A link that opens the scanner app on this same device with the code filled in. */
  readonly same_device_url?: string;
}

export interface LoginStatusResponse {
  readonly status: LoginStatus;
  /** A new polling interval in seconds, when the server wants a different pace. */
  readonly interval?: number;
  /** Where the page goes after `accepted`. */
  readonly redirect_to?: string;
}

/** The answer to a browser that polls faster than `interval`: wait `interval` seconds more. */
export interface SlowDownResponse {
  readonly error: 'slow_down';
  readonly interval?: number;
}

/** The longest wait (seconds) a browser may ask the website to hold a status request. */
export const MAX_STATUS_WAIT_SECONDS = 60;

/** Bounds on what a browser accepts from a website: anything outside is a broken server. */
export const WEBSITE_CONTRACT_LIMITS = {
  idLength: 128,
  codeLength: 16,
  urlLength: 2048,
  maxExpiresIn: 3600,
  maxInterval: 600,
} as const;

export type WebsiteContractErrorCode = 'not_an_object' | 'missing_field' | 'invalid_field';

/** A response from the website that does not follow the contract. */
export class WebsiteContractError extends Error {
  readonly code: WebsiteContractErrorCode;
  readonly field: string | undefined;

  constructor(code: WebsiteContractErrorCode, message: string, field?: string) {
    super(message);
    this.name = this.constructor.name;
    this.code = code;
    this.field = field;
  }
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebsiteContractError('not_an_object', 'The response is not a JSON object.');
  return value as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, field: string, maxLength: number): string {
  const value = body[field];
  if (value === undefined) throw new WebsiteContractError('missing_field', `No ${field}.`, field);
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength)
    throw new WebsiteContractError(
      'invalid_field',
      `${field} must be a string of 1 to ${maxLength} characters.`,
      field,
    );
  return value;
}

function optionalString(
  body: Record<string, unknown>,
  field: string,
  maxLength: number,
): string | undefined {
  return body[field] === undefined ? undefined : requiredString(body, field, maxLength);
}

function seconds(body: Record<string, unknown>, field: string, max: number, required: boolean) {
  const value = body[field];
  if (value === undefined) {
    if (required) throw new WebsiteContractError('missing_field', `No ${field}.`, field);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max)
    throw new WebsiteContractError(
      'invalid_field',
      `${field} must be a number of seconds from 0 to ${max}.`,
      field,
    );
  return value;
}

/** Checks a `POST {endpoint}` body. Throws {@link WebsiteContractError}; never anything else. */
export function parseStartLoginResponse(value: unknown): StartLoginResponse {
  const body = record(value);
  const id = requiredString(body, 'id', WEBSITE_CONTRACT_LIMITS.idLength);
  if (!ID_PATTERN.test(id))
    throw new WebsiteContractError('invalid_field', 'id must be URL-safe (A-Z a-z 0-9 _ -).', 'id');
  const qr = requiredString(body, 'qr', MAX_QR_TEXT_LENGTH);
  const expiresIn = seconds(body, 'expires_in', WEBSITE_CONTRACT_LIMITS.maxExpiresIn, true) ?? 0;
  if (expiresIn === 0)
    throw new WebsiteContractError('invalid_field', 'expires_in must be above 0.', 'expires_in');
  const interval = seconds(body, 'interval', WEBSITE_CONTRACT_LIMITS.maxInterval, true) ?? 0;
  const code = optionalString(body, 'code', WEBSITE_CONTRACT_LIMITS.codeLength);
  const sameDeviceUrl = optionalString(body, 'same_device_url', WEBSITE_CONTRACT_LIMITS.urlLength);
  return {
    id,
    qr,
    expires_in: expiresIn,
    interval,
    ...(code === undefined ? {} : { code }),
    ...(sameDeviceUrl === undefined ? {} : { same_device_url: sameDeviceUrl }),
  };
}

/**
 * Checks a `GET {endpoint}/{id}` body: a status, or a `slow_down` error. Throws
 * {@link WebsiteContractError}; never anything else.
 */
export function parseLoginStatusResponse(value: unknown): LoginStatusResponse | SlowDownResponse {
  const body = record(value);
  const interval = seconds(body, 'interval', WEBSITE_CONTRACT_LIMITS.maxInterval, false);
  if (body['error'] !== undefined) {
    if (body['error'] !== 'slow_down')
      throw new WebsiteContractError('invalid_field', 'error must be "slow_down".', 'error');
    return { error: 'slow_down', ...(interval === undefined ? {} : { interval }) };
  }
  if (body['status'] === undefined)
    throw new WebsiteContractError('missing_field', 'No status.', 'status');
  if (!isLoginStatus(body['status']))
    throw new WebsiteContractError('invalid_field', 'status is not a login status.', 'status');
  const redirectTo = optionalString(body, 'redirect_to', WEBSITE_CONTRACT_LIMITS.urlLength);
  return {
    status: body['status'],
    ...(interval === undefined ? {} : { interval }),
    ...(redirectTo === undefined ? {} : { redirect_to: redirectTo }),
  };
}

export function isSlowDown(
  response: LoginStatusResponse | SlowDownResponse,
): response is SlowDownResponse {
  return 'error' in response;
}
