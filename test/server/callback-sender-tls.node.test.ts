import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import {
  selfSignedCertificate,
  type Certificate,
} from '../../src/server/start/self-signed-certificate.js';
import { createCallbackSender } from '../../src/server/token-server/callback-sender.js';
import { nothingHappensFor, until } from '../support/until.js';

/** A website's callback receiver over https, with the certificate `npm start -- --https` makes. */
async function httpsReceiver(certificate: Certificate) {
  const bodies: unknown[] = [];
  const server = createServer(
    { key: certificate.key, cert: certificate.cert },
    (request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(JSON.parse(body) as unknown);
        response.writeHead(204).end();
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/otp-login/callback`;
  return {
    url,
    bodies,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A pino logger that keeps what it writes, to see what the sender reports. */
function recordingLogger() {
  const lines: { msg: string; attempt?: number; err?: { code?: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

describe('the callback sender over https with a self-signed certificate', () => {
  let directory: string;
  let certificate: Certificate;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'otp-callback-tls-'));
    certificate = await selfSignedCertificate(directory, ['localhost', '127.0.0.1']);
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('delivers the callback when given that certificate as its ca', async () => {
    const website = await httpsReceiver(certificate);
    const { logger, lines } = recordingLogger();
    const send = createCallbackSender({ logger, retryDelayMs: 10, ca: certificate.cert });
    try {
      send(website.url, 'tx-tls');
      await until(() => website.bodies.length >= 1, 'the callback');
      await nothingHappensFor(100); // delivered once, and nothing to warn about later
      assert.deepEqual(website.bodies, [{ callback_uri: website.url, transaction_id: 'tx-tls' }]);
      assert.deepEqual(lines, [], 'nothing to warn about');
    } finally {
      send.close();
      website.close();
    }
  });

  it('refuses the certificate without it: nothing delivered, each attempt logged as failed', async () => {
    const website = await httpsReceiver(certificate);
    const { logger, lines } = recordingLogger();
    const send = createCallbackSender({ logger, retryDelayMs: 10, attempts: 3 });
    try {
      send(website.url, 'tx-untrusted');
      await until(() => lines.length >= 3, 'the third failed attempt');
      await nothingHappensFor(100); // no fourth attempt, and nothing delivered meanwhile
      assert.deepEqual(website.bodies, []);
      assert.deepEqual(
        lines.map((line) => [line.msg, line.attempt, line.err?.code]),
        [1, 2, 3].map((attempt) => ['callback failed', attempt, 'DEPTH_ZERO_SELF_SIGNED_CERT']),
      );
    } finally {
      send.close();
      website.close();
    }
  });

  it('refuses a certificate other than the one it was given', async () => {
    const other = await selfSignedCertificate(join(directory, 'other'), ['localhost', '127.0.0.1']);
    const website = await httpsReceiver(certificate);
    const { logger, lines } = recordingLogger();
    const send = createCallbackSender({ logger, retryDelayMs: 10, attempts: 2, ca: other.cert });
    try {
      send(website.url, 'tx-other');
      await until(() => lines.length >= 2, 'the second failed attempt');
      await nothingHappensFor(100); // no third attempt, and nothing delivered meanwhile
      assert.deepEqual(website.bodies, []);
      assert.deepEqual(
        lines.map((line) => [line.msg, line.attempt]),
        [
          ['callback failed', 1],
          ['callback failed', 2],
        ],
      );
    } finally {
      send.close();
      website.close();
    }
  });
});
