import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import { RedisLoginStore } from '../../src/server/kit/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { unreachableRedis } from '../server/redis-store-clients.js';
import { isStoreError } from '../server/store-contract.js';
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
function twoInstances(): LoginStoreSubject & { keyPrefix: string } {
  const keyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  let offset = 0;
  const now = () => Date.now() + offset;
  const redis = instanceClient();
  const otherRedis = instanceClient();
  return {
    keyPrefix,
    store: new RedisLoginStore({ redis, keyPrefix, clock: now }),
    other: new RedisLoginStore({ redis: otherRedis, keyPrefix, clock: now }),
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
