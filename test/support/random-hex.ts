/** A random 128-bit value as 32 lowercase hex characters, as the Token Server issues ids. */
export function randomHex128(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
