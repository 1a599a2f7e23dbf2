/**
 * Where a login stands, as the website tells the widget:
 * - `pending`: the QR is shown and nobody has scanned it;
 * - `scanned`: a phone redeemed the code and the user is deciding;
 * - `confirm`: the phone is done, and the browser must confirm before it counts: type the code
 *   the phone shows (a login's proof of presence, `confirm: 'enter_code'`), or say whether the
 *   phone shows the same code as the page (linking a phone, `confirm: 'compare_code'`);
 * - `accepted` / `denied`: the user answered on the phone (and confirmed in the browser);
 * - `expired`: the code's time ran out (or it was used up) before an answer.
 */
export const LOGIN_STATUSES = [
  'pending',
  'scanned',
  'confirm',
  'accepted',
  'denied',
  'expired',
] as const;

export type LoginStatus = (typeof LOGIN_STATUSES)[number];

/** The statuses after which nothing changes any more. */
export const FINAL_LOGIN_STATUSES = [
  'accepted',
  'denied',
  'expired',
] as const satisfies readonly LoginStatus[];

export type FinalLoginStatus = (typeof FINAL_LOGIN_STATUSES)[number];

export function isLoginStatus(value: unknown): value is LoginStatus {
  return typeof value === 'string' && (LOGIN_STATUSES as readonly string[]).includes(value);
}

export function isFinalLoginStatus(value: unknown): value is FinalLoginStatus {
  return typeof value === 'string' && (FINAL_LOGIN_STATUSES as readonly string[]).includes(value);
}
