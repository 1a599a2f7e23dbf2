/**
 * `promise`, or a rejection with `late()` if it has not settled within `ms`: how a store waits
 * for a connection or a subscription without hanging while its backend is away.
 */
export async function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
  late: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(late());
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
