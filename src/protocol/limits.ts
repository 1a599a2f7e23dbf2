/**
 * The largest QR text we look at, in characters. A login QR is about 110 characters and Onegini's
 * base64 OTP a few hundred; anything longer is not ours, and refusing it early bounds the work an
 * attacker can cause with a crafted code.
 */
export const MAX_QR_TEXT_LENGTH = 1024;

/** Longest transaction id accepted from Onegini's OTP form. */
export const MAX_TRANSACTION_ID_LENGTH = 128;

/** Longest OTP code accepted from Onegini's OTP form. */
export const MAX_OTP_CODE_LENGTH = 256;

/** Bits of CSPRNG output in every id and secret of the compact form. */
export const SECRET_BITS = 128;
