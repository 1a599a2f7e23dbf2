import type { InferOutput } from 'valibot';
import { MAX_QR_TEXT_LENGTH } from './limits.js';
import { isLoginStatus, LOGIN_STATUSES } from './login-status.js';
import type {
  LoginStatusResponseSchema,
  SlowDownResponseSchema,
  StartLoginResponseSchema,
} from './website-contract-schemas.js';

/**
 * The contract between a website's backend (the relying-party kit serves it) and `<otp-login-qr>`
 * (which consumes it). MSW's handlers in `otp-login-qr/mocks` answer with the same shapes.
 *
 * - `POST {endpoint}` → 201 {@link StartLoginResponse}, plus an HttpOnly binding cookie.
 * - `GET {endpoint}/{id}?wait=N` with that cookie → 200 {@link LoginStatusResponse}, or 400
 *   {@link SlowDownResponse} when the browser polls too fast, or 429 with `Retry-After` and a
 *   {@link SlowDownResponse} when it polls too often.
 * - Errors: website-contract-schemas.ts (`WEBSITE_ERROR_STATUSES`).
 *
 * The bodies are written once, as the valibot schemas of website-contract-schemas.ts, and these
 * types are theirs. This file holds what the element needs at run time, without valibot: the
 * limits, and a small parser held to the same cases as the schemas.
 *
 * Durations are in seconds, as in OAuth's device flow (RFC 8628), which this contract follows.
 */
export type StartLoginResponse = InferOutput<typeof StartLoginResponseSchema>;

export type LoginStatusResponse = InferOutput<typeof LoginStatusResponseSchema>;

/**
 * The answer to a browser that polls faster than `interval`: wait `interval` seconds more. A
 * website of this contract always sends `interval`; the element also reads a `slow_down` without
 * one (RFC 8628: wait 5 seconds more).
 */
export type SlowDownResponse = InferOutput<typeof SlowDownResponseSchema>;

/** What a `confirm` status asks of the browser's user (website-contract-schemas.ts). */
export const CONFIRM_KINDS = ['enter_code', 'compare_code'] as const;
export type ConfirmKind = (typeof CONFIRM_KINDS)[number];

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
    // A literal, not this.constructor.name: minifiers rename classes (the widget's bundle does).
    this.name = 'WebsiteContractError';
    this.code = code;
    this.field = field;
  }
}

/**
 * What one field of a response must be: a test of its value (which also tells TypeScript the
 * value's type), and what the test expects, for the error.
 */
type FieldRule<T> = readonly [isValid: (value: unknown) => value is T, expected: string];

type Body = Record<string, unknown>;

const { idLength, codeLength, urlLength, maxExpiresIn, maxInterval } = WEBSITE_CONTRACT_LIMITS;

const isText = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength;

/** Also false for NaN and the infinities. */
const isSeconds = (value: unknown, max: number): value is number =>
  typeof value === 'number' && value >= 0 && value <= max;

const text = (maxLength: number): FieldRule<string> => [
  (value) => isText(value, maxLength),
  `a string of 1 to ${maxLength} characters`,
];

const INTERVAL: FieldRule<number> = [
  (value) => isSeconds(value, maxInterval),
  `0 to ${maxInterval} seconds`,
];

/** JSON arrays are objects too, and not a response. */
function assertBody(value: unknown): asserts value is Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebsiteContractError('not_an_object', 'The response is not a JSON object.');
}

/**
 * A field that may be left out, as an object to spread into the response: the field if it
 * passes its rule, nothing if it is absent (no key whose value is undefined).
 */
function readOptional<K extends string, T>(
  body: Body,
  name: K,
  [isValid, expected]: FieldRule<T>,
): { [P in K]?: T } {
  const part: { [P in K]?: T } = {};
  const field = body[name];
  if (field !== undefined) {
    if (!isValid(field))
      throw new WebsiteContractError('invalid_field', `${name} must be ${expected}.`, name);
    part[name] = field;
  }
  return part;
}

/** A field that must be there: its value, if it follows `rule`. */
function readField<T>(body: Body, name: string, rule: FieldRule<T>): T {
  const field = readOptional(body, name, rule)[name];
  if (field === undefined) throw new WebsiteContractError('missing_field', `No ${name}.`, name);
  return field;
}

/*
 * The parsers read the fields in the order written (the first fault found is thrown), and return
 * the fields the contract names that are present; anything else in the body is left out.
 */

/** Checks a `POST {endpoint}` body. Throws {@link WebsiteContractError}; never anything else. */
export function parseStartLoginResponse(value: unknown): StartLoginResponse {
  assertBody(value);
  return {
    id: readField(value, 'id', [
      // URL-safe, as it goes into the status URL's path.
      (field): field is string => isText(field, idLength) && /^[\w-]+$/.test(field),
      `1 to ${idLength} of A-Z a-z 0-9 _ -`,
    ]),
    qr: readField(value, 'qr', text(MAX_QR_TEXT_LENGTH)),
    expires_in: readField(value, 'expires_in', [
      (field): field is number => isSeconds(field, maxExpiresIn) && field > 0,
      `above 0 and at most ${maxExpiresIn} seconds`,
    ]),
    interval: readField(value, 'interval', INTERVAL),
    ...readOptional(value, 'code', text(codeLength)),
    ...readOptional(value, 'same_device_url', text(urlLength)),
  };
}

/**
 * Checks a `GET {endpoint}/{id}` body: a status, or a `slow_down` error. Throws
 * {@link WebsiteContractError}; never anything else.
 */
export function parseLoginStatusResponse(value: unknown): LoginStatusResponse | SlowDownResponse {
  assertBody(value);
  if (value['error'] !== undefined)
    return {
      ...readOptional(value, 'interval', INTERVAL),
      error: readField(value, 'error', [
        (field): field is 'slow_down' => field === 'slow_down',
        '"slow_down"',
      ]),
    };
  const response: LoginStatusResponse = {
    ...readOptional(value, 'interval', INTERVAL),
    status: readField(value, 'status', [isLoginStatus, `one of ${LOGIN_STATUSES.join(', ')}`]),
    ...readOptional(value, 'redirect_to', text(urlLength)),
    ...readOptional(value, 'confirm', [
      (field): field is ConfirmKind => CONFIRM_KINDS.some((kind) => kind === field),
      `one of ${CONFIRM_KINDS.join(', ')}`,
    ]),
    ...readOptional(value, 'compare_code', [
      (field): field is string => typeof field === 'string' && /^\d{6}$/.test(field),
      'six digits',
    ]),
    ...readOptional(value, 'tries_left', [
      (field): field is number => isSeconds(field, 10) && field >= 1 && Number.isInteger(field),
      'a whole number from 1 to 10',
    ]),
  };
  // The schema's rules across fields: a confirm status, and only that, says what to confirm; a
  // comparison, and only that, names its code.
  if (
    (response.status === 'confirm') !== (response.confirm !== undefined) ||
    (response.confirm === 'compare_code') !== (response.compare_code !== undefined)
  )
    throw new WebsiteContractError(
      'invalid_field',
      'confirm does not fit status or compare_code.',
      'confirm',
    );
  return response;
}

export function isSlowDown(
  response: LoginStatusResponse | SlowDownResponse,
): response is SlowDownResponse {
  return 'error' in response;
}
