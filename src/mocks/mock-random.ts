/*
 * The mock's ids, secrets and codes, from the CSPRNG as the Token Server makes them: a mock whose
 * codes were guessable would let a test pass that the real server fails.
 */

/** 128 bits as 32 lowercase hex characters: an enrollment id, a secret, an OTP, a device id. */
export function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** Six decimal digits, uniform (no modulo bias): a link's compare code, a presence code. */
export function randomShortCode(): string {
  const range = 2 ** 32;
  const limit = 1_000_000;
  const usable = range - (range % limit);
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    const value = word[0] ?? 0;
    if (value < usable) return String(value % limit).padStart(6, '0');
  }
}
