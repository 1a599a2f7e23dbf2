/*
 * Who the browser is, behind the website's own load balancers: the kit's per-address rate limits
 * count by it, and the Token Server is told it (`ip_address`, for the phone's network check).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import {
  otpLoginExpress,
  otpLoginMiddleware,
  toNodeHandler,
  type OtpLoginKit,
  type OtpLoginKitConfig,
} from '../../src/server/kit/index.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';
import { setUpKit } from './kit-harness.js';

/**
 * A kit that allows one start per browser address a minute, and a list of the `ip_address`
 * values it sent the Token Server, one per start.
 */
function setUpCountingKit(overrides: Partial<OtpLoginKitConfig> = {}) {
  const tokenServer = new TokenServerFixture();
  const sentIps: (string | null)[] = [];
  const { kit } = setUpKit(
    {
      tokenServer: {
        url: tokenServer.base,
        clientId: 'demo',
        clientSecret: CLIENT_SECRET,
        fetch: async (request) => {
          if (request.method === 'POST' && request.url.endsWith('/authenticate/user'))
            sentIps.push(new URLSearchParams(await request.clone().text()).get('ip_address'));
          return tokenServer.fetch(request);
        },
      },
      rateLimits: { startPerIp: { points: 1, durationSeconds: 60 } },
      ...overrides,
    },
    tokenServer,
  );
  return { kit, sentIps };
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A site on plain Node `http` with the kit; its public origin is its own address. */
async function nodeSite(overrides: Partial<OtpLoginKitConfig> = {}) {
  const server = createServer();
  const base = await listen(server);
  const { kit, sentIps } = setUpCountingKit({ publicOrigin: base, ...overrides });
  server.on('request', toNodeHandler(kit));
  return { base, sentIps };
}

/** A site on Express with the kit, and the app's `trust proxy` setting. */
async function expressSite(trustProxy: number | false, overrides: Partial<OtpLoginKitConfig> = {}) {
  const app = express();
  app.set('trust proxy', trustProxy);
  const base = await listen(createServer(app));
  const { kit, sentIps } = setUpCountingKit({ publicOrigin: base, ...overrides });
  app.use(otpLoginExpress(kit));
  return { base, sentIps };
}

/** Clicks "log in with your phone" through the site's proxies, which wrote `forwardedFor`. */
async function startThrough(base: string, forwardedFor?: string): Promise<number> {
  const headers = new Headers({ Origin: base });
  if (forwardedFor !== undefined) headers.set('X-Forwarded-For', forwardedFor);
  const response = await fetch(`${base}/otp-login`, { method: 'POST', headers });
  await response.body?.cancel();
  return response.status;
}

describe('the browser behind the website’s proxies: Express', () => {
  it('with trust proxy, two browsers behind one load balancer have a start limit each', async () => {
    const { base, sentIps } = await expressSite(1);
    assert.equal(await startThrough(base, '203.0.113.7'), 201);
    assert.equal(await startThrough(base, '203.0.113.8'), 201);
    assert.equal(await startThrough(base, '203.0.113.7'), 429);
    assert.deepEqual(sentIps, ['203.0.113.7', '203.0.113.8']);
  });

  it('without trust proxy, the load balancer is the only visitor: they share one', async () => {
    const { base, sentIps } = await expressSite(false);
    assert.equal(await startThrough(base, '203.0.113.7'), 201);
    assert.equal(await startThrough(base, '203.0.113.8'), 429);
    assert.deepEqual(sentIps, ['127.0.0.1']);
  });

  it('takes Express’s address as it is: trustedProxies does not read the header again', async () => {
    const { base, sentIps } = await expressSite(2, { trustedProxies: 1 });
    assert.equal(await startThrough(base, '6.6.6.6, 203.0.113.7, 10.0.0.2'), 201);
    assert.deepEqual(sentIps, ['203.0.113.7']);
  });
});

describe('the browser behind the website’s proxies: trustedProxies', () => {
  it('on Node http, two browsers behind one load balancer have a start limit each', async () => {
    const { base, sentIps } = await nodeSite({ trustedProxies: 1 });
    assert.equal(await startThrough(base, '203.0.113.7'), 201);
    assert.equal(await startThrough(base, '2001:db8::8'), 201);
    assert.equal(await startThrough(base, '203.0.113.7'), 429);
    assert.deepEqual(sentIps, ['203.0.113.7', '2001:db8::8']);
  });

  it('by default (0), the header is not read: every browser is the socket’s address', async () => {
    const { base, sentIps } = await nodeSite();
    assert.equal(await startThrough(base, '203.0.113.7'), 201);
    assert.equal(await startThrough(base, '203.0.113.8'), 429);
    assert.deepEqual(sentIps, ['127.0.0.1']);
  });

  it('ignores what the browser wrote left of the entry your proxy added', async () => {
    const { base, sentIps } = await nodeSite({ trustedProxies: 1 });
    assert.equal(await startThrough(base, '6.6.6.6, 203.0.113.7'), 201);
    // Another made-up entry does not make the same browser someone else.
    assert.equal(await startThrough(base, '6.6.6.7, 203.0.113.7'), 429);
    assert.deepEqual(sentIps, ['203.0.113.7']);
  });

  it('counts from the right past each of your proxies', async () => {
    const { base, sentIps } = await nodeSite({ trustedProxies: 2 });
    assert.equal(await startThrough(base, '6.6.6.6, 203.0.113.7, 10.0.0.2'), 201);
    assert.deepEqual(sentIps, ['203.0.113.7']);
  });

  it('knows a request by its socket when the entry is missing or not an address', async () => {
    for (const forwardedFor of [undefined, 'unknown', '203.0.113.7:4711', '10.0.0.2, <script>']) {
      const { base, sentIps } = await nodeSite({ trustedProxies: 1 });
      assert.equal(await startThrough(base, forwardedFor), 201);
      assert.deepEqual(sentIps, ['127.0.0.1'], `X-Forwarded-For: ${String(forwardedFor)}`);
    }
    const { base, sentIps } = await nodeSite({ trustedProxies: 2 });
    assert.equal(await startThrough(base, '203.0.113.7'), 201); // fewer entries than proxies
    assert.deepEqual(sentIps, ['127.0.0.1']);
  });

  it('counts an IPv4-mapped entry as the IPv4 address', async () => {
    const { base, sentIps } = await nodeSite({ trustedProxies: 1 });
    assert.equal(await startThrough(base, '::ffff:203.0.113.7'), 201);
    assert.equal(await startThrough(base, '203.0.113.7'), 429);
    assert.deepEqual(sentIps, ['203.0.113.7']);
  });

  it('on Hono (@hono/node-server) too', async () => {
    const app = new Hono();
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    servers.push(server);
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { kit, sentIps } = setUpCountingKit({ publicOrigin: base, trustedProxies: 1 });
    app.use(otpLoginMiddleware(kit));
    assert.equal(await startThrough(base, '6.6.6.6, 203.0.113.7'), 201);
    assert.equal(await startThrough(base, '203.0.113.8'), 201);
    assert.equal(await startThrough(base, '203.0.113.7'), 429);
    assert.deepEqual(sentIps, ['203.0.113.7', '203.0.113.8']);
  });

  it('the clientIp hook wins over it, and sees the adapter’s own address', async () => {
    const seen: (string | undefined)[] = [];
    const { base, sentIps } = await nodeSite({
      trustedProxies: 1,
      clientIp: (_request, context) => {
        seen.push(context.clientIp);
        return '192.0.2.99';
      },
    });
    assert.equal(await startThrough(base, '203.0.113.7'), 201);
    assert.deepEqual(sentIps, ['192.0.2.99']);
    assert.deepEqual(seen, ['127.0.0.1']);
  });

  it('is a whole number from 0 to 10', () => {
    for (const good of [0, 1, 10]) setUpKit({ trustedProxies: good });
    for (const bad of [-1, 1.5, 11, Number.NaN, Infinity, '1' as unknown as number])
      assert.throws(
        () => setUpKit({ trustedProxies: bad }),
        (error: unknown) => error instanceof TypeError && /trustedProxies/.test(error.message),
        String(bad),
      );
  });
});

describe('the browser’s address without an adapter', () => {
  it('kit.fetch reads X-Forwarded-For unless the context says the platform resolved it', async () => {
    const { kit, sentIps } = setUpCountingKit({ trustedProxies: 1 });
    const start = (forwardedFor: string, context: Parameters<OtpLoginKit['fetch']>[1]) =>
      kit.fetch(
        new Request('http://site.test/otp-login', {
          method: 'POST',
          headers: { Origin: 'http://site.test', 'X-Forwarded-For': forwardedFor },
        }),
        context,
      );
    assert.equal((await start('203.0.113.7', { clientIp: '10.0.0.2' })).status, 201);
    assert.equal(
      (await start('203.0.113.8', { clientIp: '198.51.100.4', resolvedByPlatform: true })).status,
      201,
    );
    assert.deepEqual(sentIps, ['203.0.113.7', '198.51.100.4']);
  });
});
