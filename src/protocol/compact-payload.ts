import type { QrPayload } from './payloads.js';
import { QrPayloadError } from './qr-payload-error.js';
import { SECRET_BITS } from './limits.js';
import { transactionIdFromHex, transactionIdToHex } from './transaction-id.js';

/*
 * The compact form is decimal digits only: a kind digit, then two 128-bit values (an id and a
 * secret), each as exactly 39 zero-padded digits. Digits are what QR codes store most densely
 * (numeric mode: 3.33 bits a character, against 5.5 for alphanumeric and 8 for bytes), so a login
 * URL with this form in its fragment fits a version 4 QR at error correction M.
 *
 * A login code's id is a transaction id, a UUID (transaction-id.ts): its 128 bits are the value,
 * and decoding writes them back as the UUID, so the compact form carries exactly what the Token
 * Server issued. An enrollment id is 128 bits of hex.
 */

const DIGITS_PER_VALUE = 39; // ceil(128 * log10(2))
const HEX_PER_VALUE = SECRET_BITS / 4;
const MAX_VALUE = 1n << BigInt(SECRET_BITS);

/** Length of a compact payload: the kind digit and two values. */
export const COMPACT_PAYLOAD_LENGTH = 1 + 2 * DIGITS_PER_VALUE;

const KIND_DIGITS = { authentication: '1', enrollment: '2' } as const;

const HEX_VALUE = new RegExp(`^[0-9a-f]{${HEX_PER_VALUE}}$`);

/** True when `text` is shaped like a compact payload (digits only), whether or not it is valid. */
export function looksCompact(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/**
 * Encodes a payload in the compact form. The transaction id must be a lowercase UUID v4; the
 * other ids and secrets 128-bit values written as 32 lowercase hex characters: how the reference
 * Token Server issues them.
 */
export function encodeCompactPayload(payload: QrPayload): string {
  if (payload.kind === 'authentication') {
    return (
      KIND_DIGITS.authentication +
      toDigits(transactionIdToHex(payload.transactionId), 'transactionId') +
      toDigits(payload.otp, 'otp')
    );
  }
  return (
    KIND_DIGITS.enrollment +
    toDigits(payload.enrollmentId, 'enrollmentId') +
    toDigits(payload.secret, 'secret')
  );
}

/** Decodes the compact form. Throws {@link QrPayloadError} for anything else. */
export function decodeCompactPayload(text: string, appUrl?: string): QrPayload {
  if (!looksCompact(text)) {
    throw new QrPayloadError('invalid_characters', 'A compact code holds digits only.');
  }
  if (text.length !== COMPACT_PAYLOAD_LENGTH) {
    throw new QrPayloadError(
      'invalid_length',
      `A compact code has ${COMPACT_PAYLOAD_LENGTH} digits; this one has ${text.length}.`,
    );
  }
  const kindDigit = text[0];
  const first = fromDigits(text.slice(1, 1 + DIGITS_PER_VALUE), 'first value');
  const second = fromDigits(text.slice(1 + DIGITS_PER_VALUE), 'second value');
  const url = appUrl === undefined ? {} : { appUrl };
  switch (kindDigit) {
    case KIND_DIGITS.authentication: {
      const transactionId = transactionIdFromHex(first);
      if (transactionId === undefined) {
        throw new QrPayloadError(
          'invalid_field',
          'The transaction id of this code is not a UUID.',
          {
            field: 'transaction_id',
          },
        );
      }
      return { kind: 'authentication', format: 'compact', transactionId, otp: second, ...url };
    }
    case KIND_DIGITS.enrollment:
      return { kind: 'enrollment', format: 'compact', enrollmentId: first, secret: second, ...url };
    default:
      throw new QrPayloadError('unknown_kind', `Unknown code kind ${String(kindDigit)}.`);
  }
}

function toDigits(hex: string, name: string): string {
  if (!HEX_VALUE.test(hex)) {
    throw new TypeError(`${name} must be ${HEX_PER_VALUE} lowercase hex characters.`);
  }
  return BigInt(`0x${hex}`).toString(10).padStart(DIGITS_PER_VALUE, '0');
}

function fromDigits(digits: string, name: string): string {
  const value = BigInt(digits);
  if (value >= MAX_VALUE) {
    throw new QrPayloadError('out_of_range', `The ${name} of this code is out of range.`);
  }
  return value.toString(16).padStart(HEX_PER_VALUE, '0');
}
