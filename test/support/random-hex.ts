/** A random 128-bit value as 32 lowercase hex characters, as the Token Server issues ids. */
export function randomHex128(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A random transaction id as the Token Server issues them: a lowercase UUID v4. */
export function randomTransactionId(): string {
  return crypto.randomUUID();
}
