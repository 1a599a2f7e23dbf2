import * as v from 'valibot';
import { MAX_QR_TEXT_LENGTH } from './limits.js';
import { LOGIN_STATUSES } from './login-status.js';
import { WEBSITE_CONTRACT_LIMITS } from './website-contract.js';

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

/** `GET {endpoint}/{id}` → 200. */
export const LoginStatusResponseSchema = v.pipe(
  v.object({
    status: v.picklist(LOGIN_STATUSES),
    /** A new polling interval in seconds, when the server wants a different pace. */
    interval: v.optional(IntervalSchema),
    /** Where the page goes after `accepted`. */
    redirect_to: v.optional(text(urlLength)),
  }),
  v.check(
    (body) => body.status !== 'accepted' || body.redirect_to !== undefined,
    'An accepted login says where the page goes: redirect_to.',
  ),
  v.readonly(),
);

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
 * - `not_found` (404): no such login in this browser: no binding cookie, another browser's, an
 *   unknown or forgotten id, or a login already used (the same body for all);
 * - `busy` (503, `Retry-After`): the website holds as many logins as it may;
 * - `unavailable` (503, `Retry-After`): the Token Server cannot be reached;
 * - `aborted` (503): the browser went away during a held poll; nobody reads it.
 */
export const WEBSITE_ERROR_STATUSES = {
  forbidden: 403,
  unauthorized: 401,
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
