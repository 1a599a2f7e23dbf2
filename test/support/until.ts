/*
 * How tests wait, in Node and in the browsers alike. A test waits for what it can observe (a
 * counter, a state, an event) with `until`; it lets real time pass only to show that something
 * does NOT happen, with `nothingHappensFor`, and never to let something happen.
 *
 * Both keep the real timers as they were when this module loaded, so that they still work in a
 * test that has installed fake ones.
 */

const realSetTimeout = globalThis.setTimeout.bind(globalThis);

/** Node, where the conditions are cheap counters; in a page, the looks share its one thread. */
const LOOK_EVERY_MS = typeof process === 'object' && typeof process.versions === 'object' ? 2 : 10;

/**
 * The next look, a little later on a real timer: soon enough that a test does not wait for
 * nothing, far enough that waiting does not keep a core busy (a loop on every turn of the event
 * loop did, on a machine of two cores that runs browsers beside).
 */
function nextLook(): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, LOOK_EVERY_MS));
}

/**
 * Waits until `condition` holds (a counter, a state the test can read), looking again every few
 * milliseconds, or fails after `ms` naming `what`. For synchronising on what can be
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
