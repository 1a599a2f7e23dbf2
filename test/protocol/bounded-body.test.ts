import { expect } from 'chai';
import { describe, it } from '#spec';
import { BodyTooLargeError, readTextUpTo } from '../../src/protocol/index.js';
import { endlessBody, rejectionOf } from '../support/endless-body.js';

/** A message of the shape a Request or Response has, with headers the test chooses. */
function message(body: ReadableStream<Uint8Array> | null, headers: Record<string, string> = {}) {
  return { headers: new Headers(headers), body };
}

describe('readTextUpTo, the one bounded reader of a body from another party', () => {
  it('reads a body within the cap as text, a character split across chunks included', async () => {
    const euro = new TextEncoder().encode('{"a":"€"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(euro.slice(0, 7)); // the € cut after its first byte
        controller.enqueue(euro.slice(7));
        controller.close();
      },
    });
    expect(await readTextUpTo(message(body), euro.byteLength)).to.equal('{"a":"€"}');
    expect(await readTextUpTo(new Response('hello'), 5)).to.equal('hello');
    expect(await readTextUpTo(new Response(null), 5)).to.equal('');
  });

  it('reads a Request as well as a Response', async () => {
    const request = new Request('https://example.com/', { method: 'POST', body: '{"ok":true}' });
    expect(await readTextUpTo(request, 64)).to.equal('{"ok":true}');
  });

  it('stops a body that never ends just past the cap and cancels it', async () => {
    const { body, state } = endlessBody();
    const error = await rejectionOf(readTextUpTo(message(body), 4 * 1024));
    expect(error).to.be.instanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).code).to.equal('body_too_large');
    expect((error as BodyTooLargeError).declared).to.equal(false);
    expect(state.sent).to.equal(5 * 1024);
    expect(state.cancelled).to.equal(true);
  });

  it('does not believe a Content-Length that lies: a body longer than it declares is cut off', async () => {
    const { body, state } = endlessBody();
    const error = await rejectionOf(
      readTextUpTo(message(body, { 'Content-Length': '10' }), 4 * 1024),
    );
    expect(error).to.be.instanceOf(BodyTooLargeError);
    expect(state.sent).to.equal(5 * 1024);
    expect(state.cancelled).to.equal(true);
  });

  it('refuses a declared Content-Length over the cap without reading a byte', async () => {
    const { body, state } = endlessBody();
    const error = await rejectionOf(
      readTextUpTo(message(body, { 'Content-Length': String(1024 * 1024) }), 4 * 1024),
    );
    expect(error).to.be.instanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).declared).to.equal(true);
    expect((error as BodyTooLargeError).maxBytes).to.equal(4 * 1024);
    expect(state.sent).to.equal(0);
  });

  it('counts bytes, not characters: 3 euro signs are 9 bytes', async () => {
    expect(await rejectionOf(readTextUpTo(new Response('€€€'), 8))).to.be.instanceOf(
      BodyTooLargeError,
    );
    expect(await readTextUpTo(new Response('€€€'), 9)).to.equal('€€€');
  });
});
