import * as v from 'valibot';
import { SDK_ERRORS } from './error-codes.js';

/** One way the mobile API refuses a call: the HTTP status, and the body's `error` and `error_code`. */
export interface MobileApiRefusalEntry {
  readonly status: number;
  readonly error: string;
  readonly errorCode: number;
  /** The `error_description` unless the refusal gives a more precise one. */
  readonly description: string;
}

/**
 * Every refusal of the Token Server's mobile API (docs/token-server-api.md, "Mobile error
 * codes"). The server and the MSW mock answer with these, and the contract suite
 * (test/contract/) checks both against this table. `error_code` is the SDK's number, which the
 * SDK passes on as `OneginiError.code`.
 */
export const MOBILE_API_REFUSALS = {
  /** Unknown login request or enrollment code, a wrong OTP or secret, or an id that is not one. */
  request_not_found: {
    status: 404,
    error: 'mobile_authentication_request_not_found',
    errorCode: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code,
    description: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.description,
  },
  /** The body is not JSON, or a field is missing, invalid or unknown. */
  invalid_body: {
    status: 400,
    error: 'invalid_request',
    errorCode: SDK_ERRORS.INVALID_REQUEST.code,
    description: 'The body is not a valid request.',
  },
  /** A signature header is missing or malformed, the signature or the public key is bad, or the nonce was used. */
  invalid_signature: {
    status: 401,
    error: 'invalid_request',
    errorCode: SDK_ERRORS.INVALID_REQUEST.code,
    description: 'The request is not signed as it must be.',
  },
  /** The phone's timestamp is further from the server's clock than `clockSkewMs`. */
  invalid_datetime: {
    status: 401,
    error: 'invalid_datetime',
    errorCode: SDK_ERRORS.INVALID_DATETIME.code,
    description: "The phone's clock is too far from the server's.",
  },
  /** No such device, or the website revoked it. */
  device_deregistered: {
    status: 401,
    error: 'device_deregistered',
    errorCode: SDK_ERRORS.DEVICE_DEREGISTERED.code,
    description: SDK_ERRORS.DEVICE_DEREGISTERED.description,
  },
  /** A phone whose link the website has not confirmed yet (the codes were not compared). */
  link_not_confirmed: {
    status: 403,
    error: 'device_link_not_confirmed',
    errorCode: SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code,
    description: SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.description,
  },
  /** An answer whose `shown` digest is not that of the details the server sent at redemption. */
  shown_mismatch: {
    status: 400,
    error: 'shown_details_changed',
    errorCode: SDK_ERRORS.SHOWN_DETAILS_CHANGED.code,
    description: SDK_ERRORS.SHOWN_DETAILS_CHANGED.description,
  },
  /** An accept without the passkey assertion that the login type requires. */
  user_verification_required: {
    status: 403,
    error: 'user_verification_required',
    errorCode: SDK_ERRORS.USER_VERIFICATION_REQUIRED.code,
    description: SDK_ERRORS.USER_VERIFICATION_REQUIRED.description,
  },
  /**
   * A passkey assertion that does not verify: another challenge, another credential than the
   * device's, a user not verified, a bad signature. Nothing was recorded.
   */
  user_verification_failed: {
    status: 401,
    error: 'user_verification_failed',
    errorCode: SDK_ERRORS.USER_VERIFICATION_FAILED.code,
    description: SDK_ERRORS.USER_VERIFICATION_FAILED.description,
  },
  /**
   * A passkey registration that does not verify (a challenge not issued to this device, used or
   * expired; another origin or relying party; a user not verified), or a passkey asked for from
   * an origin that is not one of the Token Server's `appOrigins` (or not a domain name). Nothing
   * was stored: the phone stays as it was.
   */
  passkey_registration_failed: {
    status: 400,
    error: 'passkey_registration_failed',
    errorCode: SDK_ERRORS.PASSKEY_REGISTRATION_FAILED.code,
    description: SDK_ERRORS.PASSKEY_REGISTRATION_FAILED.description,
  },
  /** The enrollment code linked a phone already. */
  device_already_enrolled: {
    status: 409,
    error: 'device_already_enrolled',
    errorCode: SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code,
    description: 'This code was used already.',
  },
  /** A second-factor request for another user than the phone's. */
  wrong_user: {
    status: 403,
    error: 'mobile_authentication_not_enrolled',
    errorCode: SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code,
    description: 'This request is for another user.',
  },
  /** Another phone redeemed the code, or the request was answered already. */
  already_handled: {
    status: 409,
    error: 'mobile_authentication_request_already_handled',
    errorCode: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code,
    description: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.description,
  },
  /** The login request or the enrollment code expired. */
  request_expired: {
    status: 410,
    error: 'mobile_authentication_request_expired',
    errorCode: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code,
    description: 'The request or code expired.',
  },
  /** An answer before the code was redeemed. */
  not_in_progress: {
    status: 409,
    error: 'otp_authentication_not_in_progress',
    errorCode: SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code,
    description: 'The request was not redeemed yet.',
  },
  /** Too many calls from this address: wait the seconds of `Retry-After`. */
  rate_limited: {
    status: 429,
    error: 'slow_down',
    errorCode: SDK_ERRORS.RATE_LIMITED.code,
    description: SDK_ERRORS.RATE_LIMITED.description,
  },
  /** The body is larger than {@link MOBILE_API_MAX_BODY_BYTES}; `error_code` is the HTTP status. */
  request_too_large: {
    status: 413,
    error: 'request_too_large',
    errorCode: 413,
    description: 'The request body is too large.',
  },
} as const satisfies Record<string, MobileApiRefusalEntry>;

export type MobileApiRefusalCode = keyof typeof MOBILE_API_REFUSALS;

/** The largest request body the mobile API reads, in bytes; a larger one is `request_too_large`. */
export const MOBILE_API_MAX_BODY_BYTES = 16 * 1024;

/** The body of every refusal. */
export const MobileApiErrorBody = v.object({
  error: v.pipe(v.string(), v.minLength(1)),
  /** For developers: never shown to users, never parsed. */
  error_description: v.pipe(v.string(), v.minLength(1)),
  error_code: v.pipe(v.number(), v.integer()),
});
export type MobileApiErrorBody = v.InferOutput<typeof MobileApiErrorBody>;

/**
 * A call the mobile API refuses. The shared checks (src/protocol's mobile-api-checks.ts) throw
 * it; the Token Server and the mock turn it into the response `status` and `toJSON()`.
 */
export class MobileApiRefusal extends Error {
  /** The stable name of the refusal (a key of {@link MOBILE_API_REFUSALS}). */
  readonly code: MobileApiRefusalCode;
  readonly status: number;
  /** The body's `error`. */
  readonly error: string;
  /** The body's `error_code`. */
  readonly errorCode: number;
  /** Response headers that go with it (`Retry-After` for `rate_limited`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: MobileApiRefusalCode,
    message?: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    const entry: MobileApiRefusalEntry = MOBILE_API_REFUSALS[code];
    super(
      message ?? entry.description,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    // A literal, not this.constructor.name: minifiers rename classes (the app's bundle does).
    this.name = 'MobileApiRefusal';
    this.code = code;
    this.status = entry.status;
    this.error = entry.error;
    this.errorCode = entry.errorCode;
    this.headers = options.headers ?? {};
  }

  /** The response body. */
  toJSON(): MobileApiErrorBody {
    return { error: this.error, error_description: this.message, error_code: this.errorCode };
  }
}
