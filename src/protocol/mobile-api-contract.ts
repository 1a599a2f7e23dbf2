import * as v from 'valibot';
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

/** `POST /enrollments/{enrollment_id}`: links the key that signs the call to a user. */
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
});
export type MobileAnswerRequest = v.InferOutput<typeof MobileAnswerRequest>;

/** 200 to an answer: what was recorded (`denied` for an accept with the wrong number). */
export const MobileAnswerResponse = v.object({ status: v.picklist(['accepted', 'denied']) });
export type MobileAnswerResponse = v.InferOutput<typeof MobileAnswerResponse>;

/**
 * The three calls: the route under {@link MOBILE_API_BASE_PATH} (in MSW's and Hono's pattern
 * syntax; the Token Server's log names it), the status of success, and the bodies.
 */
export const MOBILE_API_ENDPOINTS = {
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
} as const;

export type MobileApiEndpoint = keyof typeof MOBILE_API_ENDPOINTS;

/** The path of a call, e.g. `/api/mobile/v1/transactions/ab…/redeem`. */
export function mobileApiPath(endpoint: MobileApiEndpoint, id: string): string {
  const route = MOBILE_API_ENDPOINTS[endpoint].route.replace(/:\w+/, encodeURIComponent(id));
  return `${MOBILE_API_BASE_PATH}${route}`;
}
