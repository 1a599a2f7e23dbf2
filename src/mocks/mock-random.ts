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
