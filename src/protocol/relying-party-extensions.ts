import * as v from 'valibot';
import { ShortCode } from './mobile-api-contract.js';

/*
 * The reference Token Server's extensions of Onegini's relying-party API for a bound, confirmed
 * phone link and for a login's proof of presence (docs/token-server-api.md), written once: the
 * Token Server answers with these shapes and the website kit reads them with these schemas.
 * Everything is under `/oauth/api/v4`, with the client's HTTP Basic credentials.
 *
 * Linking a phone:
 * - `POST /enrollments` (form: `user_id`, optional `display_name`, `ip_address`, `user_agent`: the
 *   browser that shows the linking page, which the phone shows before it links).
 * - `GET /enrollments/{enrollment_id}` → {@link EnrollmentStatusResponse}.
 * - `POST /enrollments/{enrollment_id}/confirm` (form: `matches=true|false`, the user's word that
 *   the phone shows the page's code) → {@link EnrollmentStatusResponse}. `true` makes the device
 *   answer logins; `false` revokes it. Only once, and only while the enrollment is `confirm`.
 *
 * Proof of presence:
 * - A transaction whose phone accepted but whose browser has not typed the phone's code yet has
 *   `status: 'confirm'` and `is_authenticated: false`.
 * - `POST /authenticate/transaction/{transaction_id}/presence` (form: `code`, the six digits the
 *   browser's user typed) → the transaction result, with {@link PRESENCE_TRIES} tries in all: the
 *   right code makes it `accepted`; a wrong one leaves it `confirm` with `presence_tries_left`
 *   one lower, and the last wrong one makes it `denied` (`not_authenticated_reason.reason`
 *   `presence_failed`).
 */

/** How many codes a browser may type for one login before the login ends. */
export const PRESENCE_TRIES = 3;

/** Where a phone link stands, as the website reads it. */
export const ENROLLMENT_STATUSES = [
  /** The code is shown; no phone has used it. */
  'pending',
  /** A phone used the code and shows `compare_code`; the website must ask its user. */
  'confirm',
  /** The user said the codes match: the device answers logins. */
  'accepted',
  /** The user said they differ: the device that used the code is revoked. */
  'denied',
  /** No phone used the code in time, or its link was not confirmed in time. */
  'expired',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** `GET /enrollments/{enrollment_id}` and `POST …/confirm` → 200. */
export const EnrollmentStatusResponse = v.object({
  enrollment_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  status: v.picklist(ENROLLMENT_STATUSES),
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  /** The device that used the code; null while none has. */
  device_id: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/))),
  /** The device's name, as the phone gave it; null while none has. */
  device_name: v.nullable(v.pipe(v.string(), v.maxLength(200))),
  /** While `confirm`: the code the phone shows. */
  compare_code: v.optional(ShortCode),
  /** ISO 8601: when the code, or the wait for the website's confirmation, runs out. */
  expires_at: v.pipe(v.string(), v.isoTimestamp()),
});
export type EnrollmentStatusResponse = v.InferOutput<typeof EnrollmentStatusResponse>;

/** The form of `POST …/confirm`. */
export const EnrollmentConfirmForm = v.strictObject({
  matches: v.picklist(['true', 'false']),
});

/** The form of `POST /authenticate/transaction/{transaction_id}/presence`. */
export const PresenceCodeForm = v.strictObject({ code: ShortCode });

/**
 * `GET /users/{user_id}/devices` → `{ devices: [...] }`: the phones linked to a user, revoked
 * ones included (reference-server extension), as the Token Server answers and the kit reads.
 */
export const LinkedDeviceResponse = v.object({
  device_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  name: v.string(),
  /** ISO 8601. */
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  /** When the website confirmed the link; null while pending. Absent from older servers. */
  confirmed_at: v.optional(v.nullable(v.pipe(v.string(), v.isoTimestamp()))),
  revoked_at: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  /**
   * Whether the phone has a passkey, and so asks for its user's fingerprint or face where a login
   * type wants it (user-verification.ts). False when absent (servers without passkeys).
   */
  user_verifying: v.optional(v.boolean(), false),
});
export type LinkedDeviceResponse = v.InferOutput<typeof LinkedDeviceResponse>;

export const DeviceListResponse = v.object({ devices: v.array(LinkedDeviceResponse) });
export type DeviceListResponse = v.InferOutput<typeof DeviceListResponse>;
