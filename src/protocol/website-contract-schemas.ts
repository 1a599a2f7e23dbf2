import * as v from 'valibot';
import { MAX_QR_TEXT_LENGTH } from './limits.js';
import { LOGIN_STATUSES } from './login-status.js';
import { CONFIRM_KINDS, WEBSITE_CONTRACT_LIMITS } from './website-contract.js';

/*
 * The website ↔ widget contract (website-contract.ts), as valibot schemas: every body a website
 * sends `<otp-login-qr>`, written once. The contract's types are inferred from these schemas; the
 * relying-party kit answers with them, `otp-login-qr/mocks` answers with them, and the contract
 * suite (test/contract) checks both against them. The element does not load valibot: it reads the
 * same fields with its own small parser (website-contract.ts), which a test holds to the same
 * cases as these schemas.
 *
 * Where the element is more lenient than the contract, the contract wins for websites: an
 * `accepted` status always carries `redirect_to`, a `slow_down` always carries `interval`. The
 * types keep those fields optional, as the element also reads websites that leave them out.
 */

const { idLength, codeLength, urlLength, maxExpiresIn, maxInterval } = WEBSITE_CONTRACT_LIMITS;

/** The longest `error_description` a website sends. */
const MAX_DESCRIPTION_LENGTH = 500;

const text = (maxLength: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(maxLength));

/** Seconds between two status requests; never NaN or infinite. */
const IntervalSchema = v.pipe(v.number(), v.minValue(0), v.maxValue(maxInterval));

/** `POST {endpoint}` → 201. */
export const StartLoginResponseSchema = v.pipe(
  v.object({
    /** Opaque login id; goes into the status URL (so: URL-safe). */
    id: v.pipe(text(idLength), v.regex(/^[\w-]+$/)),
    /** The exact text to encode in the QR code. */
    qr: text(MAX_QR_TEXT_LENGTH),
    /** Seconds until this QR stops working. */
    expires_in: v.pipe(v.number(), v.gtValue(0), v.maxValue(maxExpiresIn)),
    /** Seconds the browser waits between two status requests. */
    interval: IntervalSchema,
    /** The number-matching code to show next to the QR, when the server uses number matching. */
    code: v.optional(text(codeLength)),
    /** A link that opens the scanner app on this same device with the code filled in. */
    same_device_url: v.optional(text(urlLength)),
  }),
  v.readonly(),
);

/** A code of six digits: a link's comparison code, or a login's proof of presence. */
const SixDigits = v.pipe(v.string(), v.regex(/^\d{6}$/));

/** `GET {endpoint}/{id}` and `POST {endpoint}/{id}/confirm` → 200. */
export const LoginStatusResponseSchema = v.pipe(
  v.object({
    status: v.picklist(LOGIN_STATUSES),
    /** A new polling interval in seconds, when the server wants a different pace. */
    interval: v.optional(IntervalSchema),
    /** Where the page goes after `accepted`. */
    redirect_to: v.optional(text(urlLength)),
    /**
     * With `confirm`: what the browser's user must do. `enter_code`: type the code the phone
     * shows (proof of presence). `compare_code`: say whether the phone shows `compare_code`.
     */
    confirm: v.optional(v.picklist(CONFIRM_KINDS)),
    /** With `confirm: 'compare_code'`: the code the page shows beside the phone's. */
    compare_code: v.optional(SixDigits),
    /** With `confirm: 'enter_code'` after a wrong code: how many tries are left. */
    tries_left: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10))),
  }),
  v.check(
    (body) => body.status !== 'accepted' || body.redirect_to !== undefined,
    'An accepted login says where the page goes: redirect_to.',
  ),
  v.check(
    (body) => (body.status === 'confirm') === (body.confirm !== undefined),
    'A confirm status, and only that, says what to confirm: confirm.',
  ),
  v.check(
    (body) => (body.confirm === 'compare_code') === (body.compare_code !== undefined),
    'A comparison, and only that, names the code to compare: compare_code.',
  ),
  v.readonly(),
);

/**
 * `POST {endpoint}/{id}/confirm` with the binding cookie, while the status is `confirm`: the code
 * the user typed (`enter_code`), or whether the phone showed the page's code (`compare_code`).
 * Answered with a {@link LoginStatusResponseSchema} (and, on `accepted`, the website's session),
 * or 400 `invalid_request` for a body that is neither or does not fit the login's `confirm`.
 */
export const ConfirmRequestSchema = v.union([
  v.strictObject({ code: SixDigits }),
  v.strictObject({ matches: v.boolean() }),
]);
export type ConfirmRequest = v.InferOutput<typeof ConfirmRequestSchema>;

/** The largest confirmation body a website reads, in bytes. */
export const CONFIRM_REQUEST_MAX_BYTES = 256;

/**
 * Reads a confirmation: a body of media type `application/json` (`contentType` as sent) whose
 * text is a {@link ConfirmRequestSchema}; undefined for anything else (then: 400
 * `invalid_request`, and nothing changes). The caller caps the text at
 * {@link CONFIRM_REQUEST_MAX_BYTES} as it reads it.
 */
export function readConfirmRequest(
  contentType: string | null,
  text: string,
): ConfirmRequest | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(ConfirmRequestSchema, body);
  return parsed.success ? parsed.output : undefined;
}

/**
 * `GET {endpoint}/{id}` → 400 when the browser polls sooner than `interval` (or while another
 * poll of the login is held), and 429 (with `Retry-After`, whose seconds `interval` repeats) when
 * it polls too often: wait `interval` seconds.
 */
export const SlowDownResponseSchema = v.pipe(
  v.object({
    error: v.literal('slow_down'),
    interval: v.optional(IntervalSchema),
  }),
  v.check((body) => body.interval !== undefined, 'A slow_down says how long to wait: interval.'),
  v.readonly(),
);

/**
 * The other errors of the start and status requests, and the HTTP status each comes with:
 * - `forbidden` (403): the start did not come from the website's own pages (its `Origin` is not
 *   the website's public origin);
 * - `unauthorized` (401): a second factor or a phone link started by nobody logged in;
 * - `reauthentication_required` (401): a phone link asked for without a recent enough sign-in:
 *   the website asks for the password (or a scan) again first;
 * - `invalid_request` (400): a confirmation that is not one the login waits for;
 * - `not_found` (404): no such login in this browser: no binding cookie, another browser's, an
 *   unknown or forgotten id, or a login already used (the same body for all);
 * - `busy` (503, `Retry-After`): the website holds as many logins as it may;
 * - `unavailable` (503, `Retry-After`): the Token Server cannot be reached;
 * - `aborted` (503): the browser went away during a held poll; nobody reads it.
 */
export const WEBSITE_ERROR_STATUSES = {
  forbidden: 403,
  unauthorized: 401,
  reauthentication_required: 401,
  invalid_request: 400,
  not_found: 404,
  busy: 503,
  unavailable: 503,
  aborted: 503,
} as const;

export type WebsiteErrorCode = keyof typeof WEBSITE_ERROR_STATUSES;

const WEBSITE_ERROR_CODES = Object.keys(WEBSITE_ERROR_STATUSES) as WebsiteErrorCode[];

/** The body of every error of {@link WEBSITE_ERROR_STATUSES}. */
export const WebsiteErrorResponseSchema = v.pipe(
  v.object({
    error: v.picklist(WEBSITE_ERROR_CODES),
    /** For people reading logs; the element does not show it. */
    error_description: v.optional(text(MAX_DESCRIPTION_LENGTH)),
  }),
  v.readonly(),
);

export type WebsiteErrorResponse = v.InferOutput<typeof WebsiteErrorResponseSchema>;
