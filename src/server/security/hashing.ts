import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a secret or id, as hex: what the store keeps instead of the value. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** 128 bits from the CSPRNG as 32 lowercase hex characters: every id and secret we issue. */
export function randomId128(): string {
  return randomBytes(16).toString('hex');
}
