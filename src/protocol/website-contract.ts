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

/** One field of a response: its name, whether it must be there, its test, and what it expects. */
type FieldRule = readonly [
  name: string,
  required: boolean,
  isValid: (value: unknown) => boolean,
  expected: string,
];

const { idLength, codeLength, urlLength, maxExpiresIn, maxInterval } = WEBSITE_CONTRACT_LIMITS;

const isText = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength;

/** Also false for NaN and the infinities. */
const isSeconds = (value: unknown, max: number): value is number =>
  typeof value === 'number' && value >= 0 && value <= max;

const text = (name: string, required: boolean, maxLength: number): FieldRule => [
  name,
  required,
  (value) => isText(value, maxLength),
  `a string of 1 to ${maxLength} characters`,
];

const interval = (required: boolean): FieldRule => [
  'interval',
  required,
  (value) => isSeconds(value, maxInterval),
  `0 to ${maxInterval} seconds`,
];

const START_FIELDS: readonly FieldRule[] = [
  [
    'id',
    true,
    // URL-safe, as it goes into the status URL's path.
    (value) => isText(value, idLength) && /^[\w-]+$/.test(value),
    `1 to ${idLength} of A-Z a-z 0-9 _ -`,
  ],
  text('qr', true, MAX_QR_TEXT_LENGTH),
  [
    'expires_in',
    true,
    (value) => isSeconds(value, maxExpiresIn) && value > 0,
    `above 0 and at most ${maxExpiresIn} seconds`,
  ],
  interval(true),
  text('code', false, codeLength),
  text('same_device_url', false, urlLength),
];

const STATUS_FIELDS: readonly FieldRule[] = [
  interval(false),
  ['status', true, isLoginStatus, `one of ${LOGIN_STATUSES.join(', ')}`],
  text('redirect_to', false, urlLength),
  [
    'confirm',
    false,
    (value) => (CONFIRM_KINDS as readonly unknown[]).includes(value),
    `one of ${CONFIRM_KINDS.join(', ')}`,
  ],
  [
    'compare_code',
    false,
    (value) => typeof value === 'string' && /^\d{6}$/.test(value),
    'six digits',
  ],
  [
    'tries_left',
    false,
    (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 10,
    'a whole number from 1 to 10',
  ],
];

const SLOW_DOWN_FIELDS: readonly FieldRule[] = [
  interval(false),
  ['error', true, (value) => value === 'slow_down', '"slow_down"'],
];

/**
 * Checks `value` field by field, in the rules' order (the first fault found is thrown), and
 * returns the fields the rules name that are present; anything else in `value` is left out.
 */
function parse(value: unknown, rules: readonly FieldRule[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebsiteContractError('not_an_object', 'The response is not a JSON object.');
  const result: Record<string, unknown> = {};
  for (const [name, required, isValid, expected] of rules) {
    const field = (value as Record<string, unknown>)[name];
    if (field !== undefined) {
      if (!isValid(field))
        throw new WebsiteContractError('invalid_field', `${name} must be ${expected}.`, name);
      result[name] = field;
    } else if (required) throw new WebsiteContractError('missing_field', `No ${name}.`, name);
  }
  return result;
}

/** Checks a `POST {endpoint}` body. Throws {@link WebsiteContractError}; never anything else. */
export function parseStartLoginResponse(value: unknown): StartLoginResponse {
  return parse(value, START_FIELDS) as unknown as StartLoginResponse;
}

/**
 * Checks a `GET {endpoint}/{id}` body: a status, or a `slow_down` error. Throws
 * {@link WebsiteContractError}; never anything else.
 */
export function parseLoginStatusResponse(value: unknown): LoginStatusResponse | SlowDownResponse {
  const isSlowDownBody = (value as { error?: unknown } | null)?.error !== undefined;
  const body = parse(value, isSlowDownBody ? SLOW_DOWN_FIELDS : STATUS_FIELDS);
  // The schema's rules across fields: a confirm status, and only that, says what to confirm; a
  // comparison, and only that, names its code.
  if (
    !isSlowDownBody &&
    ((body['status'] === 'confirm') !== (body['confirm'] !== undefined) ||
      (body['confirm'] === 'compare_code') !== (body['compare_code'] !== undefined))
  )
    throw new WebsiteContractError(
      'invalid_field',
      'confirm does not fit status or compare_code.',
      'confirm',
    );
  return body as unknown as LoginStatusResponse | SlowDownResponse;
}

export function isSlowDown(
  response: LoginStatusResponse | SlowDownResponse,
): response is SlowDownResponse {
  return 'error' in response;
}
