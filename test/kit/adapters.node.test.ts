import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import express from 'express';
import { parseStartLoginResponse } from '../../src/protocol/index.js';
import { otpLoginExpress, toNodeHandler } from '../../src/server/kit/index.js';
import { scan, setUpKit } from './kit-harness.js';

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
