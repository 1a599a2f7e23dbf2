import { formatAppUrl, hasScheme, parseAppUrl } from './app-url.js';
import { decodeCompactPayload, encodeCompactPayload, looksCompact } from './compact-payload.js';
import { MAX_QR_TEXT_LENGTH } from './limits.js';
import { decodeOneginiOtp } from './onegini-otp.js';
import type { AuthenticationPayload, EnrollmentPayload, QrPayload } from './payloads.js';
import { QrPayloadError } from './qr-payload-error.js';

// Printable ASCII without the space: every accepted form fits in it, and it rules out
// look-alike Unicode, control characters and line breaks before any parsing happens.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Decodes what a QR code (or a user typing a code) gives the phone: the URL form, the compact
 * digits, or Onegini's base64 OTP. Throws {@link QrPayloadError}, and nothing else, for any string
 * that is not a valid payload.
 */
export function decodeQrPayload(text: string): QrPayload {
  if (typeof text !== 'string') throw new TypeError('The QR text must be a string.');
  if (text.length === 0) throw new QrPayloadError('empty', 'The code is empty.');
  if (text.length > MAX_QR_TEXT_LENGTH) {
    throw new QrPayloadError(
      'too_long',
      `The code is longer than ${MAX_QR_TEXT_LENGTH} characters.`,
    );
  }
  if (!PRINTABLE_ASCII.test(text)) {
    throw new QrPayloadError('invalid_characters', 'The code holds characters it cannot hold.');
  }
  if (hasScheme(text)) {
    const { appUrl, code } = parseAppUrl(text);
    if (!PRINTABLE_ASCII.test(code) || hasScheme(code)) {
      throw new QrPayloadError(
        'invalid_characters',
        'The code in the URL holds characters it cannot hold.',
      );
    }
    return decodeBareCode(code, appUrl);
  }
  return decodeBareCode(text);
}

/** Decodes a login code; an enrollment code is refused with `wrong_kind`. */
export function decodeAuthenticationPayload(text: string): AuthenticationPayload {
  const payload = decodeQrPayload(text);
  if (payload.kind !== 'authentication') {
    throw new QrPayloadError('wrong_kind', 'This is a code to link a phone, not a login code.');
  }
  return payload;
}

/** Decodes an enrollment code; a login code is refused with `wrong_kind`. */
export function decodeEnrollmentPayload(text: string): EnrollmentPayload {
  const payload = decodeQrPayload(text);
  if (payload.kind !== 'enrollment') {
    throw new QrPayloadError('wrong_kind', 'This is a login code, not a code to link a phone.');
  }
  return payload;
}

/**
 * The text of a QR code for `payload`: the app URL with the compact code in its fragment. This is
 * what the reference Token Server's website kit hands to `<otp-login-qr>`.
 */
export function encodeQrText(appUrl: string, payload: QrPayload): string {
  return formatAppUrl(appUrl, encodeCompactPayload(payload));
}

function decodeBareCode(code: string, appUrl?: string): QrPayload {
  return looksCompact(code) ? decodeCompactPayload(code, appUrl) : decodeOneginiOtp(code, appUrl);
}
