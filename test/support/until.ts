/**
 * Waits until `condition` holds (a counter, a state the test can read), looking again each time
 * the event loop has run, or fails after `ms` naming `what`. For synchronising on what can be
 * observed, never on a chosen delay.
 */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
