/*
 * Bodies from a party that does not stop sending: the cases of the bounded body reader, for the
 * tests of every reader that uses it. Web streams only, so it runs in Node and the browsers.
 */

/**
 * A body that never ends, 1 KiB a pull and only when pulled; `state.sent` counts the bytes it
 * gave, `state.cancelled` says whether the reader let go of it.
 */
export function endlessBody() {
  const state = { sent: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.sent += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}

/** What `promise` rejects with; throws if it resolves, which fails the test. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
