import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { createCallbackSender } from '../../src/server/token-server/callback-sender.js';

/** A website's callback receiver that answers each request with the next status in `statuses`. */
async function receiver(statuses: number[]) {
  const requests: { path: string | undefined; body: unknown }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ path: request.url, body: JSON.parse(body) as unknown });
      const status = statuses.shift() ?? 204;
      response.writeHead(status, status === 302 ? { Location: '/elsewhere' } : {}).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return { url, requests, close: () => server.close() };
}

async function settle(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const quiet = pino({ level: 'silent' });

describe('the callback sender', () => {
  it('tries again after a 5xx answer, with backoff, until the website takes it', async () => {
    const website = await receiver([503, 502]);
    const send = createCallbackSender({ logger: quiet, retryDelayMs: 20 });
    try {
      send(website.url, 'tx-1');
      await settle(() => website.requests.length >= 3);
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
      await settle(() => website.requests.length >= 2);
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
        await settle(() => website.requests.length >= 1);
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
});
