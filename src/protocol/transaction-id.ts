import * as v from 'valibot';

/*
 * Onegini documents transaction ids as UUIDs, and a relying party may check that format. The
 * Token Server issues random ones (RFC 9562, version 4: 122 random bits), written in lowercase,
 * which is the form RFC 9562 asks generators to output. A transaction id in any other form is one
 * the Token Server never issued.
 */

/** A random (version 4) UUID in lowercase, e.g. `3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834`. */
export const TRANSACTION_ID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A transaction id the Token Server issued. */
export const TransactionId = v.pipe(v.string(), v.regex(TRANSACTION_ID_PATTERN));

/** True when `value` is a transaction id in the form the Token Server issues. */
export function isTransactionId(value: unknown): value is string {
  return typeof value === 'string' && TRANSACTION_ID_PATTERN.test(value);
}

/** The id's 128 bits as 32 lowercase hex characters (the UUID without its hyphens). */
export function transactionIdToHex(id: string): string {
  if (!isTransactionId(id)) throw new TypeError('Not a transaction id (a lowercase UUID v4).');
  return id.replaceAll('-', '');
}

/**
 * The transaction id whose 128 bits are `hex` (32 lowercase hex characters), or undefined when
 * they are not those of a version 4 UUID.
 */
export function transactionIdFromHex(hex: string): string | undefined {
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return hex.length === 32 && isTransactionId(id) ? id : undefined;
}
