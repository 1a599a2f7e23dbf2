/*
 * Every error code of the system, in one place. Onegini's numbers are used wherever a concept maps,
 * so that an app written against Onegini's SDK keeps working; the few codes that Onegini has no
 * number for are marked `origin: 'otp-login-qr'`. docs/ renders these tables for users.
 */

/** Where a code's number comes from. */
export type ErrorCodeOrigin =
  'onegini-sdk' | 'onegini-flutter' | 'onegini-token-server' | 'otp-login-qr';

export interface ErrorCodeEntry {
  readonly code: number;
  readonly origin: ErrorCodeOrigin;
  /** What happened, for the developer; apps word it for their users themselves. */
  readonly description: string;
}

/**
 * Codes of the mobile side: the SDK's `OneginiError.code`, and the `error_code` of the Token
 * Server's mobile API, which the SDK passes on.
 */
export const SDK_ERRORS = {
  NETWORK_CONNECTIVITY_PROBLEM: {
    code: 9000,
    origin: 'onegini-sdk',
    description: 'The phone has no network connection.',
  },
  SERVER_NOT_REACHABLE: {
    code: 9001,
    origin: 'onegini-sdk',
    description: 'The Token Server could not be reached, or did not answer in time.',
  },
  DEVICE_DEREGISTERED: {
    code: 9002,
    origin: 'onegini-sdk',
    description: 'The Token Server no longer knows this device (it was revoked); link it again.',
  },
  USER_DEREGISTERED: {
    code: 9003,
    origin: 'onegini-sdk',
    description: 'The user profile was removed on the Token Server.',
  },
  ACTION_CANCELED: {
    code: 9006,
    origin: 'onegini-sdk',
    description: 'The user denied the request.',
  },
  ACTION_ALREADY_IN_PROGRESS: {
    code: 9007,
    origin: 'onegini-sdk',
    description: 'Another action of the SDK is still running.',
  },
  DEVICE_ALREADY_ENROLLED: {
    code: 9016,
    origin: 'onegini-sdk',
    description: 'This device is already linked to that user.',
  },
  MOBILE_AUTHENTICATION_NOT_ENROLLED: {
    code: 9021,
    origin: 'onegini-sdk',
    description: 'No user is linked on this device, or not the user the request is for.',
  },
  MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED: {
    code: 9029,
    origin: 'onegini-sdk',
    description: 'This login request was already scanned or answered.',
  },
  INVALID_DATETIME: {
    code: 9031,
    origin: 'onegini-sdk',
    description: "The phone's clock is too far from the Token Server's.",
  },
  GENERAL_ERROR: {
    code: 10000,
    origin: 'onegini-sdk',
    description: 'An unexpected error; its cause holds the details.',
  },
  CONFIGURATION_ERROR: {
    code: 10001,
    origin: 'onegini-sdk',
    description: 'The SDK is not configured, or its configuration is invalid.',
  },
  MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND: {
    code: 10013,
    origin: 'onegini-sdk',
    description: 'The Token Server does not know this login request.',
  },
  INVALID_REQUEST: {
    code: 10015,
    origin: 'onegini-sdk',
    description: 'The Token Server refused the request as invalid (bad signature, nonce or body).',
  },
  NOT_HANDLEABLE: {
    code: 10018,
    origin: 'onegini-sdk',
    description: 'The code is not a login code of this system (malformed or foreign).',
  },
  MOBILE_AUTHENTICATION_REQUEST_EXPIRED: {
    code: 10100,
    origin: 'otp-login-qr',
    description: 'The login request expired before it was answered. (Onegini reports 10013 here.)',
  },
  RATE_LIMITED: {
    code: 10101,
    origin: 'otp-login-qr',
    description: 'Too many requests; try again after the time the server gave.',
  },
  DEVICE_LINK_NOT_CONFIRMED: {
    code: 10102,
    origin: 'otp-login-qr',
    description:
      'This phone is linked, but the website has not confirmed the link yet: confirm there that it shows the same code.',
  },
  SHOWN_DETAILS_CHANGED: {
    code: 10103,
    origin: 'otp-login-qr',
    description:
      'The answer does not sign the details the Token Server sent for this request; nothing was recorded.',
  },
  USER_VERIFICATION_REQUIRED: {
    code: 10104,
    origin: 'otp-login-qr',
    description:
      'This website asks for a fingerprint or face before a login is accepted, and the answer had none.',
  },
  USER_VERIFICATION_FAILED: {
    code: 10105,
    origin: 'otp-login-qr',
    description:
      'The fingerprint or face check that came with the answer is not valid for this phone and this login.',
  },
  PASSKEY_REGISTRATION_FAILED: {
    code: 10106,
    origin: 'otp-login-qr',
    description:
      'The Token Server did not take the passkey: it does not verify (challenge, origin, or no fingerprint or face check), or the app runs at an origin the Token Server does not serve passkeys for. The phone stays linked without it.',
  },
  USER_NOT_VERIFIED: {
    code: 9030,
    origin: 'onegini-sdk',
    description:
      "The phone did not verify its user: the fingerprint or face prompt was cancelled, failed or found no passkey. Nothing was sent. (Onegini's biometric authenticator failure.)",
  },
  AUTHENTICATOR_NOT_REGISTERED: {
    code: 10007,
    origin: 'onegini-sdk',
    description:
      'This website asks for a fingerprint or face before a login is accepted, and this phone has no passkey for it. Nothing was sent; the request can only be denied.',
  },
  OTP_AUTHENTICATION_NOT_IN_PROGRESS: {
    code: 8053,
    origin: 'onegini-flutter',
    description: 'Accept or deny was called while no login request is waiting for an answer.',
  },
  MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS: {
    code: 8056,
    origin: 'onegini-flutter',
    description: 'A login request is already being handled; finish it first.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type SdkErrorName = keyof typeof SDK_ERRORS;
export type SdkErrorCode = (typeof SDK_ERRORS)[SdkErrorName]['code'];

/** A relying-party API error: Onegini's number and the HTTP status it comes with. */
export interface TokenServerErrorEntry extends ErrorCodeEntry {
  readonly status: number;
}

/** Codes of the Token Server's relying-party API (Onegini's v4 mobile authentication API). */
export const TOKEN_SERVER_ERRORS = {
  MOBILE_AUTHENTICATION_DISABLED: {
    code: 1000,
    status: 404,
    origin: 'onegini-token-server',
    description: 'Mobile authentication is disabled.',
  },
  NO_AUTHENTICATION_POSSIBILITIES: {
    code: 1001,
    status: 404,
    origin: 'onegini-token-server',
    description: 'The user has no device to authenticate with, or does not exist.',
  },
  INVALID_PARAMETER: {
    code: 1003,
    status: 400,
    origin: 'onegini-token-server',
    description: 'A request parameter is missing or invalid.',
  },
  MESSAGE_TOO_LONG: {
    code: 1005,
    status: 400,
    origin: 'onegini-token-server',
    description: 'The message is longer than the configured maximum.',
  },
  INVALID_TRANSACTION_ID: {
    code: 3004,
    status: 404,
    origin: 'onegini-token-server',
    description: 'No transaction has this id (for this client).',
  },
  TYPE_NOT_FOUND: {
    code: 3005,
    status: 404,
    origin: 'onegini-token-server',
    description: 'No mobile authentication type has this name.',
  },
  CALLBACK_NOT_ALLOWED: {
    code: 1010,
    status: 400,
    origin: 'otp-login-qr',
    description: 'The callback_uri is not on the allow-list of this client.',
  },
} as const satisfies Record<string, TokenServerErrorEntry>;

export type TokenServerErrorName = keyof typeof TOKEN_SERVER_ERRORS;
export type TokenServerErrorCode = (typeof TOKEN_SERVER_ERRORS)[TokenServerErrorName]['code'];

/** The name of an SDK error code, or undefined for a number that is not in the table. */
export function sdkErrorName(code: number): SdkErrorName | undefined {
  return (Object.keys(SDK_ERRORS) as SdkErrorName[]).find((name) => SDK_ERRORS[name].code === code);
}

/** The name of a Token Server error code, or undefined for a number that is not in the table. */
export function tokenServerErrorName(code: number): TokenServerErrorName | undefined {
  return (Object.keys(TOKEN_SERVER_ERRORS) as TokenServerErrorName[]).find(
    (name) => TOKEN_SERVER_ERRORS[name].code === code,
  );
}
