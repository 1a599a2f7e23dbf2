/** Why a QR text (or a code typed by hand) was refused. Stable: apps map these to their own words. */
export type QrPayloadErrorCode =
  | 'empty'
  | 'too_long'
  | 'invalid_characters'
  | 'unsupported_scheme'
  | 'insecure_scheme'
  | 'invalid_url'
  | 'missing_code'
  | 'invalid_percent_encoding'
  | 'not_base64'
  | 'not_json'
  | 'not_an_object'
  | 'missing_field'
  | 'unexpected_field'
  | 'wrong_type'
  | 'invalid_field'
  | 'invalid_length'
  | 'out_of_range'
  | 'unknown_kind'
  | 'wrong_kind';

/**
 * The one error that decoding a QR payload throws for any text it is given.
 *
 * `field` names the offending field where there is one (`transaction_id`, `otp`, …), so that a
 * developer can see at once what is wrong with a payload their server produced.
 */
export class QrPayloadError extends Error {
  readonly code: QrPayloadErrorCode;
  readonly field: string | undefined;

  constructor(
    code: QrPayloadErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
    this.field = options.field;
  }
}
