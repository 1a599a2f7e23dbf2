import * as v from 'valibot';
import {
  PasskeyAssertion,
  PasskeyOptionsRequest,
  PasskeyOptionsResponse,
  PasskeyRegistrationRequest,
  PasskeyRegisteredResponse,
  RedeemUserVerification,
} from './user-verification.js';
import { DevicePublicJwk } from './device-public-key.js';
import { isDeviceName } from './display-name.js';
import { MatchNumber, MatchNumberChoices } from './number-matching.js';
import { TransactionId } from './transaction-id.js';

/*
 * The Token Server's mobile API (docs/token-server-api.md, "Mobile API"), written once: the
 * Token Server's routes parse their requests with these schemas and answer in these shapes, the
 * SDK checks every answer with them, and the MSW mock (otp-login-qr/mocks) does what the server
 * does. test/contract/ runs one suite against the server and the mock alike.
 *
 * Every call is a signed POST (signed-request.ts, mobile-api-checks.ts). Refusals are in
 * mobile-api-refusals.ts.
 */

/** Where the mobile API lives on the Token Server. */
export const MOBILE_API_BASE_PATH = '/api/mobile/v1';

/**
 * An id or secret the server issued, but for transaction ids (UUIDs, transaction-id.ts): 128 bits
 * as 32 lowercase hex characters.
 */
export const Hex128 = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/));

/** Text from the server that the phone shows; the SDK renders it as text, never as HTML. */
const ShownText = v.pipe(v.string(), v.maxLength(1000));

/** A six-digit code the user compares or types: a link's comparison code, a login's proof of presence. */
export const ShortCode = v.pipe(v.string(), v.regex(/^\d{6}$/));

/** An ISO 3166-1 alpha-2 country code, e.g. `NL`. */
const CountryCode = v.pipe(v.string(), v.regex(/^[A-Z]{2}$/));

/**
 * Where the browser that asked (to log in, or to link a phone) seems to be, from the Token
 * Server's IP database: a hint, never proof. Every field is null when unknown.
 */
export const RequesterPlace = v.object({
  /** e.g. `Amsterdam`. */
  city: v.nullable(ShownText),
  country: v.nullable(CountryCode),
  /** The network operator (the address's autonomous system), e.g. `KPN B.V.`. */
  operator: v.nullable(ShownText),
  /**
   * Kilometres between the browser's place and the phone's, rounded; null when either place is
   * not known to city level.
   */
  distance_km: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(40_100))),
  /**
   * The credit that the IP data's licence asks of whoever shows it (CC BY 4.0: "IP geolocation by
   * DB-IP"), shown with the place; null when the Token Server's operator gave none.
   */
  credit: v.nullable(ShownText),
});
export type RequesterPlace = v.InferOutput<typeof RequesterPlace>;

/**
 * `POST /enrollments/{enrollment_id}/preview`: what the app shows before it asks "Link this phone
 * to …?". Changes nothing. Signed like an enrollment, by the key the phone will link with.
 */
export const MobileEnrollPreviewRequest = v.strictObject({
  /** The enrollment secret from the code. */
  secret: Hex128,
  public_key: DevicePublicJwk,
});
export type MobileEnrollPreviewRequest = v.InferOutput<typeof MobileEnrollPreviewRequest>;

/** 200 to a preview: the account, the site, and the browser that shows the linking page. */
export const MobileEnrollPreviewResponse = v.object({
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  /** As in {@link MobileEnrollResponse}. */
  display_name: v.nullable(ShownText),
  site: ShownText,
  /** The browser that started the linking, as it calls itself; null when unknown. */
  browser: v.nullable(ShownText),
  os: v.nullable(ShownText),
  /** As in {@link MobileRedeemResponse}. */
  same_network: v.nullable(v.boolean()),
  place: v.nullable(RequesterPlace),
  /** ISO 8601, on the server's clock: when the code stops working. */
  expires_at: v.pipe(v.string(), v.isoTimestamp()),
});
export type MobileEnrollPreviewResponse = v.InferOutput<typeof MobileEnrollPreviewResponse>;

/**
 * `POST /enrollments/{enrollment_id}`: links the key that signs the call to a user, pending the
 * website's confirmation: the phone shows `compare_code`, the linking page shows the same, and
 * the user confirms on the website that they match. Until then the device answers no login
 * (`link_not_confirmed`); if the user says they differ, the device is revoked.
 */
export const MobileEnrollRequest = v.strictObject({
  /** The enrollment secret from the code. */
  secret: Hex128,
  public_key: DevicePublicJwk,
  /** The phone's name in the website's device list, held to the rule of display names. */
  device_name: v.pipe(
    v.string(),
    v.check((name: string) => isDeviceName(name), 'Not a name the website may show.'),
  ),
});
/** The enrollment body as checked (the public key without `ext` and `key_ops`). */
export type MobileEnrollRequest = v.InferOutput<typeof MobileEnrollRequest>;

/** 201 to an enrollment. */
export const MobileEnrollResponse = v.object({
  /** Goes into the `device-id` header of every later call. */
  device_id: Hex128,
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  /**
   * The name the website gave the account, or null. The SDK shows it only if it passes
   * `isDisplayName`; one that does not is dropped, not refused: the phone is linked already.
   */
  display_name: v.nullable(ShownText),
  /** The website's name. */
  site: ShownText,
  /** The code the phone shows; the linking page shows the same. */
  compare_code: ShortCode,
});
export type MobileEnrollResponse = v.InferOutput<typeof MobileEnrollResponse>;

/** `POST /transactions/{transaction_id}/redeem`: the phone scanned a login code. */
export const MobileRedeemRequest = v.strictObject({
  /** The OTP from the code. */
  otp: Hex128,
});
export type MobileRedeemRequest = v.InferOutput<typeof MobileRedeemRequest>;

/** 200 to a redemption: everything the confirmation screen shows, never taken from the QR. */
export const MobileRedeemResponse = v.object({
  /** As in the path. */
  transaction_id: TransactionId,
  message: ShownText,
  site: ShownText,
  /** The browser that asked, e.g. `Firefox 128`; null when unknown. */
  browser: v.nullable(ShownText),
  /** Its operating system, e.g. `Windows 10`; null when unknown. */
  os: v.nullable(ShownText),
  /** Whether that browser and the phone share a /24 or /64; null when unknown. A hint. */
  same_network: v.nullable(v.boolean()),
  /** Where that browser seems to be; null when the server has no IP database or no address. */
  place: v.nullable(RequesterPlace),
  /**
   * True when an accept will need proof of presence: the phone then shows a code that the
   * browser must type before the website logs it in.
   */
  presence_required: v.boolean(),
  /**
   * Whether an accept needs the phone's user verified (fingerprint, face: a passkey assertion
   * with the answer), per the login type: `required`, `preferred` or `none` (when absent, as
   * from an Onegini server). See user-verification.ts.
   */
  user_verification: RedeemUserVerification,
  /**
   * True when the login is the second factor after the website's password (the website named
   * the user): a refusal on the phone then means that someone else knows the password. False
   * when absent (an Onegini server).
   */
  second_factor: v.optional(v.boolean(), false),
  /** ISO 8601. */
  requested_at: v.pipe(v.string(), v.isoTimestamp()),
  /** ISO 8601, on the server's clock. */
  expires_at: v.pipe(v.string(), v.isoTimestamp()),
  /** Number matching only: the right number and decoys, in random order. */
  number_match_choices: v.optional(MatchNumberChoices),
});
export type MobileRedeemResponse = v.InferOutput<typeof MobileRedeemResponse>;

/** `POST /transactions/{transaction_id}/answer`: the user's answer, by the phone that redeemed. */
export const MobileAnswerRequest = v.strictObject({
  answer: v.picklist(['accept', 'deny']),
  /** Number matching: the number the user picked. Ignored for other requests. */
  number: v.optional(MatchNumber),
  /**
   * What you see is what you sign: `shownDigest()` of the redemption's answer, the details the
   * phone displayed. The server refuses an answer whose digest is not that of what it sent
   * (`shown_mismatch`), and keeps it with the answer.
   */
  shown: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  /**
   * An accept's passkey assertion over `userVerificationChallenge(transaction_id, shown)`, when
   * the redemption asked for user verification and the phone has a passkey. Ignored for a deny.
   */
  user_verification: v.optional(PasskeyAssertion),
});
export type MobileAnswerRequest = v.InferOutput<typeof MobileAnswerRequest>;

/**
 * 200 to an answer: what was recorded (`denied` for an accept with the wrong number). An accept
 * that needs proof of presence is recorded as `accepted` with a `presence_code`: the phone shows
 * it, the browser types it, and only then does the website log the browser in.
 */
export const MobileAnswerResponse = v.object({
  status: v.picklist(['accepted', 'denied']),
  presence_code: v.optional(ShortCode),
});
export type MobileAnswerResponse = v.InferOutput<typeof MobileAnswerResponse>;

/**
 * The calls: the route under {@link MOBILE_API_BASE_PATH} (in MSW's and Hono's pattern
 * syntax; the Token Server's log names it), the status of success, and the bodies.
 */
export const MOBILE_API_ENDPOINTS = {
  previewEnrollment: {
    route: '/enrollments/:enrollmentId/preview',
    status: 200,
    request: MobileEnrollPreviewRequest,
    response: MobileEnrollPreviewResponse,
  },
  enroll: {
    route: '/enrollments/:enrollmentId',
    status: 201,
    request: MobileEnrollRequest,
    response: MobileEnrollResponse,
  },
  redeem: {
    route: '/transactions/:transactionId/redeem',
    status: 200,
    request: MobileRedeemRequest,
    response: MobileRedeemResponse,
  },
  answer: {
    route: '/transactions/:transactionId/answer',
    status: 200,
    request: MobileAnswerRequest,
    response: MobileAnswerResponse,
  },
  passkeyOptions: {
    route: '/devices/:deviceId/passkey/options',
    status: 200,
    request: PasskeyOptionsRequest,
    response: PasskeyOptionsResponse,
  },
  registerPasskey: {
    route: '/devices/:deviceId/passkey',
    status: 200,
    request: PasskeyRegistrationRequest,
    response: PasskeyRegisteredResponse,
  },
} as const;

export type MobileApiEndpoint = keyof typeof MOBILE_API_ENDPOINTS;

/** The path of a call, e.g. `/api/mobile/v1/transactions/ab…/redeem`. */
export function mobileApiPath(endpoint: MobileApiEndpoint, id: string): string {
  const route = MOBILE_API_ENDPOINTS[endpoint].route.replace(/:\w+/, encodeURIComponent(id));
  return `${MOBILE_API_BASE_PATH}${route}`;
}
