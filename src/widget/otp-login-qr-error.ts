/**
 * Why the element stopped with its error state:
 * - `network`: the website could not be reached (after retries, when starting a login);
 * - `http_status`: the website answered with a status the contract does not allow;
 * - `malformed_response`: the body is not the contract's JSON (the cause says which field);
 * - `response_too_large`: the body is larger than any contract answer can be;
 * - `qr_encoding`: the `qr` text does not fit in a QR code;
 * - `unsafe_redirect`: `redirect_to` is not an http(s) URL on this page's origin;
 * - `no_endpoint`: the element has no `endpoint` to talk to.
 */
export type OtpLoginQrErrorCode =
  | 'network'
  | 'http_status'
  | 'malformed_response'
  | 'response_too_large'
  | 'qr_encoding'
  | 'unsafe_redirect'
  | 'no_endpoint';

/** What `otp-login-qr-error` carries: a stable `code`, and the underlying `cause` if any. */
export class OtpLoginQrError extends Error {
  readonly code: OtpLoginQrErrorCode;

  constructor(code: OtpLoginQrErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // A literal, not this.constructor.name: the bundle's minifier renames classes.
    this.name = 'OtpLoginQrError';
    this.code = code;
  }
}
