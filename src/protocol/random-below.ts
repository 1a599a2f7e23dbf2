/** A uniform integer in [0, limit) from the CSPRNG (WebCrypto), without the modulo's bias. */
export function randomBelow(limit: number): number {
  const range = 2 ** 32;
  const usable = range - (range % limit);
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    const value = word[0] ?? 0;
    if (value < usable) return value % limit;
  }
}
