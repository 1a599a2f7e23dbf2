import {
  BodyTooLargeError,
  readTextUpTo as readTextOrThrow,
  type BodyFromAnotherParty,
} from '../../protocol/index.js';

export type { BodyFromAnotherParty };

/**
 * A body from another party as text, read no further than `limit` bytes: undefined once it is
 * longer. src/protocol's `readTextUpTo` does the reading: a declared length over `limit` is
 * refused unread; a body that streams past `limit` is cancelled there.
 *
 * A refused body that was never read is left to its owner: a server drains or drops what a
 * request sent, and a client that fetched a response should cancel it.
 */
export async function readTextUpTo(
  message: BodyFromAnotherParty,
  limit: number,
): Promise<string | undefined> {
  try {
    return await readTextOrThrow(message, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return undefined;
    throw error;
  }
}
