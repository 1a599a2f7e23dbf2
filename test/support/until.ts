/*
 * How tests wait, in Node and in the browsers alike. A test waits for what it can observe (a
 * counter, a state, an event) with `until`; it lets real time pass only to show that something
 * does NOT happen, with `nothingHappensFor`, and never to let something happen.
 *
 * Both keep the real timers as they were when this module loaded, so that they still work in a
 * test that has installed fake ones.
 */

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realSetImmediate: ((callback: () => void) => unknown) | undefined =
  typeof globalThis.setImmediate === 'function'
    ? globalThis.setImmediate.bind(globalThis)
    : undefined;

/**
 * One turn of the event loop in Node (every pending I/O callback runs first); in a browser, 10 ms,
 * where a tighter loop would keep the page's one thread busy for nothing.
 */
function nextLook(): Promise<void> {
  return new Promise((resolve) => {
    if (realSetImmediate !== undefined) realSetImmediate(resolve);
    else realSetTimeout(resolve, 10);
  });
}

/**
 * Waits until `condition` holds (a counter, a state the test can read), looking again after each
 * turn of the event loop, or fails after `ms` naming `what`. For synchronising on what can be
 * observed, never on a chosen delay.
 */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await nextLook();
  }
}

/**
 * Lets `ms` of real time pass, so that the test can then check that nothing happened in it (no
 * request sent, no event fired, a wait still held). The only sleep a test may take: it shows an
 * absence. On a slow machine such a test may miss a fault, but it never fails while the code is
 * right.
 */
export function nothingHappensFor(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
