/*
 * The one bounded reader for a body that comes from another party: a Request a server received,
 * or a Response a client fetched. Web streams and TextDecoder only, so it runs in browsers and Node.
 */

/** What a body from another party comes in: a Request, a Response, or anything shaped like one. */
export interface BodyFromAnotherParty {
  readonly headers: Headers;
  /** undefined in Firefox's Request, which has no body stream: then `blob()` is read. */
  readonly body: ReadableStream<Uint8Array> | null | undefined;
  blob?(): Promise<Blob>;
}

/** A body was longer than the reader's cap; nothing of it was returned. */
export class BodyTooLargeError extends Error {
  /** Stable: callers map it to their own typed errors. */
  readonly code = 'body_too_large';
  /** The cap in bytes that the body passed. */
  readonly maxBytes: number;
  /** True when a declared `Content-Length` over the cap refused it unread. */
  readonly declared: boolean;

  constructor(maxBytes: number, declared: boolean) {
    super(
      declared
        ? `The body declares a length over ${maxBytes} bytes.`
        : `The body is longer than ${maxBytes} bytes.`,
    );
    this.name = this.constructor.name;
    this.maxBytes = maxBytes;
    this.declared = declared;
  }
}

/**
 * A body from another party as text, read no further than `maxBytes` bytes, or a
 * {@link BodyTooLargeError}. `Content-Length` is no bound: a chunked body has none, and a wrong
 * one is not checked by `text()`, which holds whatever the sender streams. A declared length over
 * `maxBytes` is refused unread; a body that streams past `maxBytes` is cancelled there, whatever
 * its `Content-Length` said.
 *
 * A body refused for its declared length is left unread to its owner: a server drains or drops
 * what a request sent, and a client that fetched a response should cancel it.
 */
export async function readTextUpTo(
  message: BodyFromAnotherParty,
  maxBytes: number,
): Promise<string> {
  const declared = message.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new BodyTooLargeError(maxBytes, true);
  if (message.body === null) return '';
  if (message.body === undefined) {
    // Firefox's Request: its body is one the page made, held in memory already.
    const blob = (await message.blob?.()) ?? new Blob();
    if (blob.size > maxBytes) throw new BodyTooLargeError(maxBytes, false);
    return new TextDecoder().decode(await blob.arrayBuffer());
  }
  const reader = message.body.getReader();
  // Decoded as it arrives: a character split across two chunks is kept until its end comes.
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
      throw new BodyTooLargeError(maxBytes, false);
    }
    text += decoder.decode(value, { stream: true });
  }
}
