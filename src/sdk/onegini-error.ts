import {
  SDK_ERRORS,
  sdkErrorName,
  type SdkErrorCode,
  type SdkErrorName,
} from '../protocol/index.js';

/**
 * The one error type the SDK rejects with. `code` is a number of src/protocol's `SDK_ERRORS`
 * (Onegini's numbers where the concept maps); docs/sdk.md lists every code and when it occurs.
 * `message` is for developers; apps word what they show their users themselves.
 */
export class OneginiError extends Error {
  readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
  }

  /** The name of the code in `SDK_ERRORS` (`'MOBILE_AUTHENTICATION_REQUEST_EXPIRED'`, …). */
  get codeName(): SdkErrorName {
    // Every code the constructor accepts is in the table.
    return sdkErrorName(this.code) ?? 'GENERAL_ERROR';
  }
}

/** The Token Server answered with an error status; `code` is its `error_code` where we know it. */
export class OneginiHttpError extends OneginiError {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The OAuth-style `error` of the body (`'mobile_authentication_request_expired'`, …), if any. */
  readonly error: string | undefined;
  /** Seconds to wait from `Retry-After` (rate limits), when the browser lets us read it. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: SdkErrorCode,
    message: string,
    details: { status: number; error?: string; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(code, message, details.cause === undefined ? {} : { cause: details.cause });
    this.status = details.status;
    this.error = details.error;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Why a request got no answer from the Token Server. */
export type NetworkFailureReason = 'offline' | 'unreachable' | 'timeout';

/** No answer came back: the phone is offline, the server unreachable, or it took too long. */
export class OneginiNetworkError extends OneginiError {
  readonly reason: NetworkFailureReason;

  constructor(reason: NetworkFailureReason, message: string, options: { cause?: unknown } = {}) {
    super(
      reason === 'offline'
        ? SDK_ERRORS.NETWORK_CONNECTIVITY_PROBLEM.code
        : SDK_ERRORS.SERVER_NOT_REACHABLE.code,
      message,
      options,
    );
    this.reason = reason;
  }
}

/** An error of `SDK_ERRORS[name]`, with its description as the message unless one is given. */
export function oneginiError(
  name: SdkErrorName,
  message?: string,
  options: { cause?: unknown } = {},
): OneginiError {
  return new OneginiError(SDK_ERRORS[name].code, message ?? SDK_ERRORS[name].description, options);
}
