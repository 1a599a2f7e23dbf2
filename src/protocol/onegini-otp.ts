import { decodeBase64, encodeBase64 } from './base64.js';
import { MAX_OTP_CODE_LENGTH, MAX_TRANSACTION_ID_LENGTH } from './limits.js';
import type { AuthenticationPayload } from './payloads.js';
import { QrPayloadError } from './qr-payload-error.js';

/*
 * Onegini's Token Server returns the `otp` of a mobile authentication as base64 of a small JSON
 * object that holds the transaction id and the one-time password. Apps built on Onegini's SDK pass
 * that string to `mobileAuthWithOtp` as it is, so we accept it exactly, and nothing looser.
 */

/** The field names inside Onegini's OTP object. */
export const ONEGINI_OTP_FIELDS = { transactionId: 'transaction_id', otp: 'otp' } as const;

const FIELD_LIMITS: Record<string, { max: number; pattern: RegExp }> = {
  [ONEGINI_OTP_FIELDS.transactionId]: {
    max: MAX_TRANSACTION_ID_LENGTH,
    // The id travels in a URL path of the mobile API: unreserved characters only.
    pattern: /^[A-Za-z0-9._~-]+$/,
  },
  [ONEGINI_OTP_FIELDS.otp]: { max: MAX_OTP_CODE_LENGTH, pattern: /^[A-Za-z0-9._~+/=-]+$/ },
};

/** Builds Onegini's OTP form: base64 of `{"transaction_id": …, "otp": …}`. */
export function encodeOneginiOtp(credentials: { transactionId: string; otp: string }): string {
  const object = {
    [ONEGINI_OTP_FIELDS.transactionId]: credentials.transactionId,
    [ONEGINI_OTP_FIELDS.otp]: credentials.otp,
  };
  for (const [field, value] of Object.entries(object)) {
    if (!isValidField(field, value)) throw new TypeError(`${field} is not a valid value.`);
  }
  return encodeBase64(new TextEncoder().encode(JSON.stringify(object)));
}

/** Decodes Onegini's OTP form. Throws {@link QrPayloadError} for anything else. */
export function decodeOneginiOtp(text: string, appUrl?: string): AuthenticationPayload {
  const bytes = decodeBase64(text);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new QrPayloadError('not_json', 'The code does not hold a JSON object.', { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new QrPayloadError('not_an_object', 'The code does not hold a JSON object.');
  }
  const record = json as Record<string, unknown>;
  const expected = Object.values(ONEGINI_OTP_FIELDS) as string[];
  for (const key of Object.keys(record)) {
    if (!expected.includes(key)) {
      throw new QrPayloadError('unexpected_field', `Unexpected field "${truncate(key)}".`, {
        field: key,
      });
    }
  }
  const transactionId = readField(record, ONEGINI_OTP_FIELDS.transactionId);
  const otp = readField(record, ONEGINI_OTP_FIELDS.otp);
  return {
    kind: 'authentication',
    format: 'onegini',
    transactionId,
    otp,
    ...(appUrl === undefined ? {} : { appUrl }),
  };
}

function readField(record: Record<string, unknown>, field: string): string {
  if (!Object.hasOwn(record, field)) {
    throw new QrPayloadError('missing_field', `The field "${field}" is missing.`, { field });
  }
  const value = record[field];
  if (typeof value !== 'string') {
    throw new QrPayloadError('wrong_type', `The field "${field}" must be a string.`, { field });
  }
  if (!isValidField(field, value)) {
    throw new QrPayloadError('invalid_field', `The field "${field}" has an invalid value.`, {
      field,
    });
  }
  return value;
}

function isValidField(field: string, value: string): boolean {
  const limit = FIELD_LIMITS[field];
  return limit !== undefined && value.length <= limit.max && limit.pattern.test(value);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
