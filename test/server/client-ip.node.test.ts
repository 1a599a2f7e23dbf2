/*
 * Who the caller is, behind the website owner's own reverse proxies: rate limits and the phone's
 * "same network" check count by it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { addressBehindProxies } from '../../src/server/security/forwarded-for.js';
import { clientIpBehindProxies } from '../../src/server/token-server/client-ip.js';
import { loadTokenServerEnvironment } from '../../src/server/token-server/load-config.js';

/** What the server takes for the caller's address, for a request with this X-Forwarded-For. */
async function seenAs(hops: number, forwardedFor?: string): Promise<string | null> {
  const app = new Hono();
  const ipOf = clientIpBehindProxies(hops);
  app.get('/', (c) => c.json({ ip: ipOf(c) }));
  const response = await app.request(
    '/',
    forwardedFor === undefined ? {} : { headers: { 'X-Forwarded-For': forwardedFor } },
  );
  return ((await response.json()) as { ip: string | null }).ip;
}

describe('the caller behind your own reverse proxies', () => {
  it('is the address your proxy saw, the right-most entry for one proxy', async () => {
    assert.equal(await seenAs(1, '203.0.113.5'), '203.0.113.5');
    assert.equal(await seenAs(1, '2001:db8::7'), '2001:db8::7');
  });

  it('is not what the caller wrote into X-Forwarded-For itself', async () => {
    assert.equal(await seenAs(1, '198.51.100.66, 203.0.113.5'), '203.0.113.5');
    assert.equal(await seenAs(2, '198.51.100.66, 203.0.113.5, 10.0.0.2'), '203.0.113.5');
  });

  it('is known by its connection when the header is missing, short or not an address', async () => {
    // Served here without a socket (app.request), so the connection's address is unknown: null.
    assert.equal(await seenAs(1), null);
    assert.equal(await seenAs(2, '203.0.113.5'), null);
    assert.equal(await seenAs(1, 'unknown'), null);
  });

  it('TOKEN_SERVER_TRUSTED_PROXIES is a small whole number', () => {
    const env = { TOKEN_SERVER_CONFIG: 'config/token-server.example.json' };
    assert.equal(loadTokenServerEnvironment(env).trustedProxyHops, 0);
    assert.equal(
      loadTokenServerEnvironment({ ...env, TOKEN_SERVER_TRUSTED_PROXIES: '1' }).trustedProxyHops,
      1,
    );
    for (const bad of ['-1', '1.5', 'yes', '11'])
      assert.throws(
        () => loadTokenServerEnvironment({ ...env, TOKEN_SERVER_TRUSTED_PROXIES: bad }),
        /TOKEN_SERVER_TRUSTED_PROXIES/,
      );
  });
});

describe('X-Forwarded-For behind n proxies (shared by the Token Server and the website kit)', () => {
  it('is the n-th entry from the right, across several headers joined by commas', () => {
    assert.equal(addressBehindProxies('203.0.113.5', 1), '203.0.113.5');
    assert.equal(addressBehindProxies(' 198.51.100.66 ,203.0.113.5 ', 1), '203.0.113.5');
    assert.equal(addressBehindProxies('198.51.100.66, 203.0.113.5, 10.0.0.2', 2), '203.0.113.5');
    assert.equal(addressBehindProxies('198.51.100.66, 203.0.113.5, 10.0.0.2', 3), '198.51.100.66');
  });

  it('is nothing with no proxies, too few entries, or an entry that is not a bare address', () => {
    assert.equal(addressBehindProxies('203.0.113.5', 0), undefined);
    assert.equal(addressBehindProxies(null, 1), undefined);
    assert.equal(addressBehindProxies('', 1), undefined);
    assert.equal(addressBehindProxies('203.0.113.5', 2), undefined);
    for (const entry of ['unknown', '203.0.113.5:443', '[2001:db8::7]', 'example.com', '_hidden'])
      assert.equal(addressBehindProxies(`198.51.100.66, ${entry}`, 1), undefined, entry);
  });
});
