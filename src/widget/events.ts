import type { ConfirmKind } from '../protocol/website-contract.js';
import type { OtpLoginQrStatus } from './login-poll-controller.js';
import type { OtpLoginQrError } from './otp-login-qr-error.js';

/** `otp-login-qr-status`: every change of the `status` attribute. */
export interface OtpLoginQrStatusDetail {
  readonly status: OtpLoginQrStatus;
  readonly previous: OtpLoginQrStatus;
}

/** `otp-login-qr-scanned`: a phone redeemed the code; `code` is the number to pick there. */
export interface OtpLoginQrScannedDetail {
  readonly code: string | undefined;
}

/**
 * `otp-login-qr-confirm`: the phone is done, and the element asks the user to confirm in the
 * browser: `enter_code`, type the code the phone shows (a login's proof of presence), or
 * `compare_code`, say whether the phone shows `compareCode` too (linking a phone).
 */
export interface OtpLoginQrConfirmDetail {
  readonly kind: ConfirmKind;
  readonly compareCode?: string | undefined;
}

/**
 * `otp-login-qr-accepted` (cancelable): the user confirmed. Unless a listener calls
 * `preventDefault()`, the element then goes to `redirectTo` (same origin only).
 */
export interface OtpLoginQrAcceptedDetail {
  readonly redirectTo: string | undefined;
}

/** `otp-login-qr-expired`: the last code ran out; `rotations` codes were replaced before it. */
export interface OtpLoginQrExpiredDetail {
  readonly rotations: number;
}

/** `otp-login-qr-error`: why the element shows its error state. */
export interface OtpLoginQrErrorDetail {
  readonly error: OtpLoginQrError;
}

/** The element's events by name, for `GlobalEventHandlersEventMap`. */
export interface OtpLoginQrEventMap {
  'otp-login-qr-status': CustomEvent<OtpLoginQrStatusDetail>;
  'otp-login-qr-scanned': CustomEvent<OtpLoginQrScannedDetail>;
  'otp-login-qr-confirm': CustomEvent<OtpLoginQrConfirmDetail>;
  'otp-login-qr-accepted': CustomEvent<OtpLoginQrAcceptedDetail>;
  'otp-login-qr-denied': CustomEvent<Record<string, never>>;
  'otp-login-qr-expired': CustomEvent<OtpLoginQrExpiredDetail>;
  'otp-login-qr-error': CustomEvent<OtpLoginQrErrorDetail>;
}
