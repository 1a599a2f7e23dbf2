import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { createCallbackSender } from '../../src/server/token-server/callback-sender.js';
import { nothingHappensFor, until } from '../support/until.js';

/**
 * A website's callback receiver that answers each request with the next status in `statuses`,
 * and closes a connection after `keepAliveMs` idle (announced as `Keep-Alive: timeout=…`).
 */
async function receiver(statuses: number[], keepAliveMs = 5_000) {
  const requests: { path: string | undefined; body: unknown }[] = [];
  let connections = 0;
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ path: request.url, body: JSON.parse(body) as unknown });
      const status = statuses.shift() ?? 204;
      response.writeHead(status, status === 302 ? { Location: '/elsewhere' } : {}).end();
    });
  });
  server.keepAliveTimeout = keepAliveMs;
  server.on('connection', () => (connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return { url, requests, connections: () => connections, close: () => server.close() };
}

const quiet = pino({ level: 'silent' });

describe('the callback sender', () => {
  it('tries again after a 5xx answer, with backoff, until the website takes it', async () => {
    const website = await receiver([503, 502]);
    const send = createCallbackSender({ logger: quiet, retryDelayMs: 20 });
    try {
      send(website.url, 'tx-1');
      await until(() => website.requests.length >= 3, 'the third attempt');
      await nothingHappensFor(100); // taken: no fourth
      const expected = {
        path: '/callback',
        body: { callback_uri: website.url, transaction_id: 'tx-1' },
      };
      assert.deepEqual(website.requests, [expected, expected, expected]);
    } finally {
      send.close();
      website.close();
    }
  });

  it('gives up after the configured attempts', async () => {
    const website = await receiver([500, 500, 500, 500, 500]);
    const send = createCallbackSender({ logger: quiet, retryDelayMs: 10, attempts: 2 });
    try {
      send(website.url, 'tx-2');
      await until(() => website.requests.length >= 2, 'the second attempt');
      await nothingHappensFor(100); // given up: no third
      assert.equal(website.requests.length, 2);
    } finally {
      send.close();
      website.close();
    }
  });

  it('does not retry a 4xx refusal, nor follow a redirect away from the allow-listed URI', async () => {
    for (const status of [400, 302]) {
      const website = await receiver([status]);
      const send = createCallbackSender({ logger: quiet, retryDelayMs: 10 });
      try {
        send(website.url, 'tx-3');
        await until(() => website.requests.length >= 1, 'the callback');
        await nothingHappensFor(100); // refused: not tried again, nor sent elsewhere
        assert.deepEqual(
          website.requests.map((request) => request.path),
          ['/callback'],
          `after ${status}`,
        );
      } finally {
        send.close();
        website.close();
      }
    }
  });

  describe('keeps a connection open only while the website does', () => {
    /**
     * The next callback comes this much later: the idle time under test, in real time (not to
     * synchronise: the idle connection's end is what the tests look at).
     */
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('sends callbacks close together on one connection', async () => {
      const website = await receiver([]);
      const send = createCallbackSender({ logger: quiet });
      try {
        send(website.url, 'tx-a');
        await until(() => website.requests.length >= 1, 'the first callback');
        await later(100);
        send(website.url, 'tx-b');
        await until(() => website.requests.length >= 2, 'the second callback');
        assert.equal(website.requests.length, 2);
        assert.equal(website.connections(), 1);
      } finally {
        send.close();
        website.close();
      }
    });

    it("closes an idle connection a second before the website's announced keep-alive ends", async () => {
      // The website closes at 2 s; a callback at 1.5 s on the old connection would race it.
      const website = await receiver([], 2_000);
      const send = createCallbackSender({ logger: quiet, retryDelayMs: 60_000 });
      try {
        send(website.url, 'tx-a');
        await until(() => website.requests.length >= 1, 'the first callback');
        await later(1_500);
        send(website.url, 'tx-b');
        // Both delivered at the first attempt: a retry would come only after a minute.
        await until(
          () => website.requests.length >= 2,
          'the second callback, at its first attempt',
        );
        assert.equal(website.connections(), 2);
      } finally {
        send.close();
        website.close();
      }
    });

    it('closes an idle connection after its own idle time when the website announces none', async () => {
      const website = await receiver([], 60_000);
      const send = createCallbackSender({ logger: quiet, idleSocketMs: 300 });
      try {
        send(website.url, 'tx-a');
        await until(() => website.requests.length >= 1, 'the first callback');
        await later(500);
        send(website.url, 'tx-b');
        await until(() => website.requests.length >= 2, 'the second callback');
        assert.equal(website.connections(), 2);
      } finally {
        send.close();
        website.close();
      }
    });
  });
});
