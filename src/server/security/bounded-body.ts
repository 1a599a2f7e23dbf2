/** What a body from another party comes in: a Request the server received, or a Response it fetched. */
export interface BodyFromAnotherParty {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * A body from another party as text, read no further than `limit` bytes: undefined once it is
 * longer. `Content-Length` is no bound: a chunked body has none, and a wrong one is not checked
 * by `text()`, which holds whatever the sender streams. A declared length over `limit` is refused
 * unread; a body that streams past `limit` is cancelled there.
 *
 * A refused body that was never read is left to its owner: a server drains or drops what a
 * request sent, and a client that fetched a response should cancel it.
 */
export async function readTextUpTo(
  message: BodyFromAnotherParty,
  limit: number,
): Promise<string | undefined> {
  const declared = message.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return undefined;
  if (message.body === null) return '';
  const reader = message.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      reader.releaseLock();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
