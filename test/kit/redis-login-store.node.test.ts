import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import { RedisLoginStore } from '../../src/server/kit/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { unreachableRedis } from '../server/redis-store-clients.js';
import { isStoreError } from '../server/store-contract.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { setUpKit, TestBrowser } from './kit-harness.js';
import { describeLoginStoreContract, type LoginStoreSubject } from './login-store-contract.js';

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

/** Two website instances' stores on one Redis, under a key prefix of their own. */
function twoInstances(
  options: { maxEntries?: number } = {},
): LoginStoreSubject & { keyPrefix: string } {
  const keyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  let offset = 0;
  const now = () => Date.now() + offset;
  const redis = instanceClient();
  const otherRedis = instanceClient();
  return {
    keyPrefix,
    store: new RedisLoginStore({ redis, keyPrefix, clock: now, ...options }),
    other: new RedisLoginStore({ redis: otherRedis, keyPrefix, clock: now, ...options }),
    now,
    // Redis forgets a key by its own clock: time passes for it when the keys' expiry comes closer.
    elapse: async (ms) => {
      offset += ms;
      for await (const keys of redis.scanStream({ match: `${keyPrefix}*` }) as AsyncIterable<
        string[]
      >)
        for (const key of keys) {
          const left = await redis.pttl(key);
          if (left >= 0) await redis.pexpire(key, left - ms); // 0 or less deletes it
        }
    },
    // A Redis with `noeviction` that has reached its `maxmemory` refuses writes.
    fill: async () => {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await redis.config('SET', 'maxmemory', '1');
      return async () => {
        await redis.config('SET', 'maxmemory', '0');
      };
    },
    writeRaw: async (id, value) => {
      await redis.set(keyPrefix + id, value);
    },
    // Until a client is connected, its store's rate counters count in the process (the insurance
    // limiter): the instances share them once their clients are ready.
    ready: async () => {
      for (const client of [redis, otherRedis])
        if (client.status !== 'ready') await once(client, 'ready');
    },
    close: () => Promise.resolve(),
  };
}

describeLoginStoreContract('Redis', {
  keepsText: true,
  sharesRateLimits: true,
  create: () => Promise.resolve(twoInstances()),
});

describe('RedisLoginStore', () => {
  it('keeps each login under the key prefix and the login’s id, until its time', async () => {
    const { store, keyPrefix } = twoInstances();
    const forgetAt = Date.now() + 60_000;
    await store.put('k', loginFields(), forgetAt);
    const redis = instanceClient();
    const expiry = Number(await redis.call('PEXPIRETIME', `${keyPrefix}k`));
    assert.equal(expiry, Math.ceil(forgetAt));
  });

  it('reads a key of another Redis type as unreadable, not as a crash', async () => {
    const { store, keyPrefix } = twoInstances();
    await instanceClient().hset(`${keyPrefix}h`, 'flow', 'login');
    await assert.rejects(store.get('h'), isStoreError('unreadable'));
  });

  it('holds at most maxEntries logins over all instances together, however their starts race', async () => {
    const subject = twoInstances({ maxEntries: 5 });
    const { store, other } = subject;
    const now = () => subject.now();
    const forgetAt = now() + 60_000;
    // Twelve browsers start at once, their starts spread over two instances.
    const puts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? store : other).put(`login-${i}`, loginFields(), forgetAt),
      ),
    );
    assert.equal(puts.filter((put) => put.status === 'fulfilled').length, 5);
    for (const put of puts)
      if (put.status === 'rejected') assert.ok(isStoreError('full')(put.reason));
    const held = puts.flatMap((put, i) => (put.status === 'fulfilled' ? [`login-${i}`] : []));

    // At the cap, a login it holds may still change; a new one may not.
    const [first = '', second = ''] = held;
    await other.replace(first, { ...loginFields(), status: 'scanned' }, forgetAt);
    await store.put(first, { ...loginFields(), status: 'scanned' }, forgetAt);
    await assert.rejects(other.put('newcomer', loginFields(), forgetAt), isStoreError('full'));

    // A login taken makes room, on every instance.
    assert.ok(await store.take(second));
    await other.put('newcomer', loginFields(), now() + 120_000);
    await assert.rejects(store.put('late', loginFields(), forgetAt), isStoreError('full'));

    // So does a login whose time has come.
    await subject.elapse(60_000);
    await store.put('late', loginFields(), now() + 60_000);
    assert.ok(await other.get('late'));
  });

  it('a website of two instances on one Redis holds at most maxEntries logins: beyond, 503 busy', async () => {
    const { store, other } = twoInstances({ maxEntries: 2 });
    const tokenServer = new TokenServerFixture();
    const first = setUpKit({ store }, tokenServer).kit;
    const second = setUpKit({ store: other }, tokenServer).kit;
    await new TestBrowser(first, '198.51.100.1').start();
    const { body } = await new TestBrowser(second, '198.51.100.2').start();
    await new TestBrowser(first, '198.51.100.3').startRefusedAsBusy();
    await new TestBrowser(second, '198.51.100.4').startRefusedAsBusy();
    // A login that is over makes room.
    assert.ok(await store.take(body.id));
    assert.equal((await new TestBrowser(first, '198.51.100.3').start()).response.status, 201);
  });

  it('refuses a Redis Cluster key prefix without a hash tag, which the count could not share a slot with', () => {
    const cluster = { isCluster: true } as unknown as Redis;
    assert.throws(() => new RedisLoginStore({ redis: cluster }), /hash tag/);
    assert.ok(new RedisLoginStore({ redis: cluster, keyPrefix: '{www}:otp-login:' }));
  });

  it('is `unavailable` while Redis cannot be reached', async () => {
    const unreachable = unreachableRedis();
    const store = new RedisLoginStore({ redis: unreachable });
    await assert.rejects(store.get('x'), isStoreError('unavailable'));
    await assert.rejects(
      store.put('x', loginFields(), Date.now() + 60_000),
      isStoreError('unavailable'),
    );
    unreachable.disconnect();
  });
});

function loginFields() {
  return {
    flow: 'login',
    transactionId: '3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834',
    bindingHash: 'ab'.repeat(32),
    expiresAt: Date.now() + 60_000,
    status: 'pending',
  } as const;
}
