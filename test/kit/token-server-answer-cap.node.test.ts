import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { KitError } from '../../src/server/kit/index.js';
import { CLIENT_SECRET } from '../server/token-server-fixture.js';
import { setUpKit, SITE, TestBrowser } from './kit-harness.js';

/** The most of a Token Server answer the kit reads. */
const CAP = 64 * 1024;

/** An answer that goes on for 64 MiB, 1 KiB a pull; `sent` counts what was pulled from it. */
function endlessAnswer(headers: Record<string, string> = {}) {
  const counter = { sent: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        counter.sent += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
        if (counter.sent >= 64 * 1024 * 1024) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  return { response, counter };
}

/** A kit whose Token Server is `fetch`, and the errors it reports. */
function kitAgainst(fetch: (request: Request) => Promise<Response>, url = 'http://tokens.test') {
  const errors: unknown[] = [];
  const { kit } = setUpKit({
    tokenServer: { url, clientId: 'demo', clientSecret: CLIENT_SECRET, fetch },
    onError: (error) => errors.push(error),
  });
  return { kit, errors };
}

/** The start fails over to 503, and the kit heard why: an answer too large to read. */
async function startFailsOnALargeAnswer(browser: TestBrowser, errors: unknown[]): Promise<void> {
  const refused = await browser.request('/otp-login', {
    method: 'POST',
    headers: { Origin: SITE },
  });
  assert.equal(refused.status, 503);
  assert.equal(((await refused.json()) as { error: string }).error, 'unavailable');
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.ok(error instanceof KitError);
  assert.equal(error.code, 'token_server_bad_response');
  assert.match(error.message, /too large/);
}

describe('relying-party kit: what it reads of the Token Server’s answers', () => {
  it('stops reading an answer past 64 KiB while it streams, without a length', async () => {
    const { response, counter } = endlessAnswer();
    const { kit, errors } = kitAgainst(() => Promise.resolve(response));
    await startFailsOnALargeAnswer(new TestBrowser(kit), errors);
    assert.ok(counter.sent <= CAP + 4 * 1024, `read ${counter.sent} bytes of an answer it refuses`);
  });

  it('stops there too when Content-Length says the answer is small', async () => {
    const { response, counter } = endlessAnswer({ 'Content-Length': '100' });
    const { kit, errors } = kitAgainst(() => Promise.resolve(response));
    await startFailsOnALargeAnswer(new TestBrowser(kit), errors);
    assert.ok(counter.sent <= CAP + 4 * 1024, `read ${counter.sent} bytes of an answer it refuses`);
  });

  it('refuses unread an answer whose Content-Length is over the cap', async () => {
    const { response, counter } = endlessAnswer({ 'Content-Length': String(CAP + 1) });
    const { kit, errors } = kitAgainst(() => Promise.resolve(response));
    await startFailsOnALargeAnswer(new TestBrowser(kit), errors);
    assert.equal(counter.sent, 0);
  });

  describe('from a Token Server over HTTP', () => {
    const servers: Server[] = [];
    after(() => {
      for (const server of servers) server.close();
    });

    it('lets go of a huge chunked answer early: the server sees the connection close', async () => {
      const huge = 1024 * 1024 * 1024;
      let written = 0;
      let closed!: Promise<unknown>;
      const server = createServer((_request, response) => {
        closed = once(response, 'close');
        response.writeHead(200, { 'Content-Type': 'application/json' }); // chunked: no length
        void stream(response);
      });
      /** Writes 16 KiB chunks as fast as the connection takes them, up to 1 GiB. */
      async function stream(response: ServerResponse): Promise<void> {
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        while (written < huge && !response.destroyed) {
          written += chunk.byteLength;
          if (!response.write(chunk))
            await Promise.race([once(response, 'drain'), once(response, 'close')]);
        }
        response.end();
      }
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

      const { kit, errors } = kitAgainst((request) => fetch(request), url);
      await startFailsOnALargeAnswer(new TestBrowser(kit), errors);
      await closed;
      // What the kit did not read stays in socket buffers (a few MiB at most), not 1 GiB.
      assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes`);
    });
  });
});
