import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import {
  KitError,
  RedisLoginStore,
  type LoginRecord,
  type OtpLoginKit,
  type OtpLoginKitConfig,
} from '../../src/server/kit/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { scan, setUpKit, SITE, TestBrowser } from './kit-harness.js';

const record: LoginRecord = {
  flow: 'login',
  transactionId: '0123456789abcdef0123456789abcdef',
  bindingHash: 'ab'.repeat(32),
  expiresAt: Date.now() + 60_000,
  status: 'pending',
};

let server: RedisServer | undefined;
const clients: Redis[] = [];

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

/** A Redis client of one website instance. */
function instanceClient(): Redis {
  if (server === undefined) throw new Error('redis-server is not running');
  const client = new Redis(server.url);
  clients.push(client);
  return client;
}

/**
 * Until a client is connected, the store's rate counters count in the process (the insurance
 * limiter): a website's instances share them once their clients are ready.
 */
async function allConnected(): Promise<void> {
  for (const client of clients) if (client.status !== 'ready') await once(client, 'ready');
}

/** Two website instances' stores on one Redis, under a key prefix of their own. */
function twoInstanceStores() {
  const keyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  const stores = [
    new RedisLoginStore({ redis: instanceClient(), keyPrefix }),
    new RedisLoginStore({ redis: instanceClient(), keyPrefix }),
  ] as const;
  return { stores, keyPrefix };
}

describe('RedisLoginStore', () => {
  it('keeps a login until its time, and hands it out once', async () => {
    const [store] = twoInstanceStores().stores;
    await store.put('a', record, Date.now() + 60_000);
    assert.deepEqual(await store.get('a'), record);
    assert.deepEqual(await store.take('a'), record);
    assert.equal(await store.take('a'), undefined);
    assert.equal(await store.get('a'), undefined);

    await store.put('b', record, Date.now() + 150);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await store.get('b'), undefined, 'Redis forgot it at its time');

    await store.put('c', record, Date.now() + 60_000);
    await store.put('c', { ...record, status: 'scanned' }, Date.now() - 1);
    assert.equal(await store.get('c'), undefined, 'a put whose time has passed removes it');
  });

  it('does not bring back a login that another instance took, when it records a new status', async () => {
    const [first, second] = twoInstanceStores().stores;
    await first.put('x', record, Date.now() + 60_000);
    await first.replace('x', { ...record, status: 'scanned' }, Date.now() + 60_000);
    assert.equal((await second.get('x'))?.status, 'scanned');
    assert.ok(await second.take('x'));
    await first.replace('x', { ...record, status: 'scanned' }, Date.now() + 60_000);
    assert.equal(await second.get('x'), undefined);
  });

  it('of two instances taking the same accepted login at once, exactly one gets it', async () => {
    const [first, second] = twoInstanceStores().stores;
    for (let round = 0; round < 50; round += 1) {
      const id = `race-${round}`;
      await first.put(id, { ...record, status: 'accepted' }, Date.now() + 60_000);
      const taken = await Promise.all([first.take(id), second.take(id)]);
      assert.equal(taken.filter((login) => login !== undefined).length, 1, `round ${round}`);
    }
  });

  it('refuses a value under a login key that this kit did not write', async () => {
    const {
      stores: [store],
      keyPrefix,
    } = twoInstanceStores();
    const redis = instanceClient();
    for (const [id, value] of [
      ['not-json', '{"flow":'],
      ['not-a-login', JSON.stringify({ ...record, bindingHash: 'short' })],
      ['another-flow', JSON.stringify({ ...record, flow: 'admin' })],
    ] as const) {
      await redis.set(keyPrefix + id, value);
      await assert.rejects(store.get(id), (error: unknown) => {
        assert.ok(error instanceof KitError);
        assert.equal(error.code, 'store_unreadable');
        return true;
      });
    }
  });
});

describe('the kit on several instances that share a RedisLoginStore', () => {
  /** Two kits for one website, on one Token Server, each with its own Redis client. */
  function twoInstances(overrides: Partial<OtpLoginKitConfig> = {}) {
    const tokenServer = new TokenServerFixture();
    const [storeA, storeB] = twoInstanceStores().stores;
    const a = setUpKit({ ...overrides, store: storeA }, tokenServer);
    const b = setUpKit({ ...overrides, store: storeB }, tokenServer);
    return { tokenServer, a, b, logins: () => [...a.logins, ...b.logins] };
  }

  /** A load balancer that sends each request to the next instance. */
  function roundRobin(...kits: OtpLoginKit[]): Pick<OtpLoginKit, 'fetch'> {
    let next = 0;
    return {
      fetch: (request, context) => {
        const kit = kits[next % kits.length];
        next += 1;
        if (kit === undefined) throw new Error('no instance');
        return kit.fetch(request, context);
      },
    };
  }

  it('logs the browser in whichever instance its polls reach, once', async () => {
    const { tokenServer, a, b, logins } = twoInstances();
    const phone = await tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(roundRobin(a.kit, b.kit));
    const { body } = await browser.start(); // instance A
    const pending = await browser.poll('/otp-login', body.id); // instance B
    assert.deepEqual(pending.body, { status: 'pending' });
    const answered = await scan(tokenServer, phone, body.qr);
    await answered.answer('accept');

    const polls = await Promise.all([
      browser.poll('/otp-login', body.id),
      browser.poll('/otp-login', body.id),
    ]);
    const accepted = polls.filter((poll) => poll.body.status === 'accepted');
    assert.equal(accepted.length, 1, 'one of the two racing polls logs the browser in');
    assert.deepEqual(logins(), ['alice']);
  });

  it('counts a browser against its limits on every instance together', async () => {
    const { a, b } = twoInstances({
      rateLimits: { startPerIp: { points: 3, durationSeconds: 60 } },
    });
    await allConnected();
    const browser = new TestBrowser(roundRobin(a.kit, b.kit));
    for (let start = 0; start < 3; start += 1) await browser.start();
    const fourth = await browser.request('/otp-login', {
      method: 'POST',
      headers: { Origin: SITE },
    });
    assert.equal(fourth.status, 429, 'the fourth start, on either instance, is one too many');
    assert.ok(Number(fourth.headers.get('retry-after')) > 0);
    const elsewhere = new TestBrowser(roundRobin(b.kit, a.kit), '198.51.100.99');
    await elsewhere.start(); // another address has its own count
  });

  it('answers 503 busy when Redis is full and may not evict, and logs in again once it has room', async () => {
    const { a } = twoInstances();
    const admin = instanceClient();
    const browser = new TestBrowser(a.kit);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    try {
      await browser.startRefusedAsBusy();
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    await browser.start();
  });
});
