/**
 * Waits until `condition` holds (a counter, a state the test can read), checking every 10 ms, or
 * fails after `ms` naming `what`. For synchronising on what can be observed, never on time.
 */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
