import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { parseStartLoginResponse } from '../../src/protocol/index.js';
import { otpLoginExpress, otpLoginMiddleware, toNodeHandler } from '../../src/server/kit/index.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';
import { until } from '../support/until.js';
import { beforeTheWaitEnds, scan, setUpKit, TransactionReads } from './kit-harness.js';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A real HTTP round trip: start with the site's Origin, then poll with the cookie. */
async function loginOverHttp(base: string, accept: (qr: string) => Promise<void>) {
  const started = await fetch(`${base}/otp-login`, { method: 'POST', headers: { Origin: base } });
  assert.equal(started.status, 201);
  const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = parseStartLoginResponse(await started.json());
  await accept(body.qr);
  const polled = await fetch(`${base}/otp-login/${body.id}?wait=5`, {
    headers: { Cookie: cookie },
  });
  return { polled, json: (await polled.json()) as Record<string, unknown> };
}

describe('relying-party kit adapters', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  it('Node http: toNodeHandler serves the kit and passes the socket address as the client IP', async () => {
    const ips: (string | undefined)[] = [];
    const server = createServer();
    servers.push(server);
    const base = await listen(server);
    const { kit, tokenServer, logins } = setUpKit({
      publicOrigin: base,
      clientIp: (_request, context) => {
        ips.push(context.clientIp);
        return context.clientIp;
      },
    });
    server.on('request', toNodeHandler(kit));
    const phone = await tokenServer.enrollDevice('alice');
    const { polled, json } = await loginOverHttp(base, async (qr) => {
      await (await scan(tokenServer, phone, qr)).answer('accept');
    });
    assert.equal(polled.status, 200);
    assert.deepEqual(json, { status: 'accepted', redirect_to: '/account' });
    assert.ok(polled.headers.getSetCookie().includes('session=alice; Path=/; HttpOnly'));
    assert.deepEqual(logins, ['alice']);
    assert.equal(ips[0], '127.0.0.1');
  });

  it('Express: the middleware answers the kit’s paths and passes every other request on', async () => {
    const app = express();
    const server = createServer(app);
    servers.push(server);
    const base = await listen(server);
    const { kit, tokenServer, logins } = setUpKit({ publicOrigin: base });
    app.use(otpLoginExpress(kit));
    app.get('/hello', (_request, response) => {
      response.send('hello from express');
    });
    assert.equal(await (await fetch(`${base}/hello`)).text(), 'hello from express');
    const phone = await tokenServer.enrollDevice('erin');
    const { json } = await loginOverHttp(base, async (qr) => {
      await (await scan(tokenServer, phone, qr)).answer('accept');
    });
    assert.deepEqual(json, { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(logins, ['erin']);
    const foreign = await fetch(`${base}/otp-login`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
  });
});

describe('relying-party kit: Hono adapter', () => {
  it('on @hono/node-server, the middleware serves the kit with the socket address', async () => {
    const ips: (string | undefined)[] = [];
    const app = new Hono();
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { kit, tokenServer, logins } = setUpKit({
        publicOrigin: base,
        clientIp: (_request, context) => {
          ips.push(context.clientIp);
          return context.clientIp;
        },
      });
      app.use(otpLoginMiddleware(kit));
      app.get('/hello', (c) => c.text('hello from hono'));
      assert.equal(await (await fetch(`${base}/hello`)).text(), 'hello from hono');
      const phone = await tokenServer.enrollDevice('hana');
      const { json } = await loginOverHttp(base, async (qr) => {
        await (await scan(tokenServer, phone, qr)).answer('accept');
      });
      assert.deepEqual(json, { status: 'accepted', redirect_to: '/account' });
      assert.deepEqual(logins, ['hana']);
      assert.equal(ips[0], '127.0.0.1');
    } finally {
      server.close();
    }
  });
});

describe('relying-party kit over real sockets', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  it('the Token Server’s callback over HTTP wakes a held poll (no long-poll)', async () => {
    const site = createServer();
    servers.push(site);
    const base = await listen(site);
    const tokenServer = new TokenServerFixture(new MemoryStore(), {
      clients: [
        {
          id: 'demo',
          secretSha256: createHash('sha256').update(CLIENT_SECRET).digest('hex'),
          name: 'Demo Bank',
          callbackUris: [`${base}/otp-login/callback`],
          types: ['otp'],
        },
      ],
    });
    const reads = new TransactionReads(tokenServer);
    const { kit, logins } = setUpKit(
      {
        publicOrigin: base,
        callbackUri: `${base}/otp-login/callback`,
        tokenServer: {
          url: tokenServer.base,
          clientId: 'demo',
          clientSecret: CLIENT_SECRET,
          longPoll: 'never',
          fetch: reads.fetch,
        },
        upstreamPollMs: 600_000, // only the callback can end the held poll early
        maxWaitSeconds: 60,
      },
      tokenServer,
      reads,
    );
    site.on('request', toNodeHandler(kit));
    const phone = await tokenServer.enrollDevice('frank');
    const started = await fetch(`${base}/otp-login`, { method: 'POST', headers: { Origin: base } });
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const body = parseStartLoginResponse(await started.json());
    const scanned = await scan(tokenServer, phone, body.qr);
    const first = await fetch(`${base}/otp-login/${body.id}`, { headers: { Cookie: cookie } });
    assert.deepEqual(await first.json(), { status: 'scanned' });
    const held = fetch(`${base}/otp-login/${body.id}?wait=60`, { headers: { Cookie: cookie } });
    await until(
      () => reads.of(scanned.transactionId) === 2,
      'the held poll to wait for the callback',
    );
    await scanned.answer('accept'); // the Token Server posts the callback to the site
    const polled = await beforeTheWaitEnds(held);
    assert.deepEqual(await polled.json(), { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(logins, ['frank']);
  });

  it('a browser that leaves a held poll frees it quietly and keeps its login', async () => {
    const site = createServer();
    servers.push(site);
    const base = await listen(site);
    const errors: unknown[] = [];
    const { kit, tokenServer, logins } = setUpKit({
      publicOrigin: base,
      onError: (error) => errors.push(error),
    });
    site.on('request', toNodeHandler(kit));
    const phone = await tokenServer.enrollDevice('gina');
    const started = await fetch(`${base}/otp-login`, { method: 'POST', headers: { Origin: base } });
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const body = parseStartLoginResponse(await started.json());
    const controller = new AbortController();
    const held = fetch(`${base}/otp-login/${body.id}?wait=25`, {
      headers: { Cookie: cookie },
      signal: controller.signal,
    });
    await until(() => tokenServer.server.waiter.size === 1, 'the poll held on the Token Server');
    controller.abort();
    await assert.rejects(held);
    // Let go at once: else the Token Server would hold it for the rest of its 25 s.
    await until(() => tokenServer.server.waiter.size === 0, 'the kit to let its wait go');
    await (await scan(tokenServer, phone, body.qr)).answer('accept');
    const again = await fetch(`${base}/otp-login/${body.id}?wait=5`, {
      headers: { Cookie: cookie },
    });
    assert.deepEqual(await again.json(), { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(logins, ['gina']);
    assert.deepEqual(errors, []);
  });
});
