import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/server/security/hashing.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import { unreachableRedis } from './redis-store-clients.js';
import {
  describeStoreContract,
  isStoreError,
  SHOWN_DIGEST,
  transactionFixture,
  type StoredKind,
} from './store-contract.js';

let server: RedisServer | undefined;
let prefix = '';
const clients: Redis[] = [];

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

function redisUrl(): string {
  if (server === undefined) throw new Error('redis-server is not running');
  return server.url;
}

/** A client of the application's own, which it may hand to the store. */
function applicationClient(): Redis {
  const client = new Redis(redisUrl());
  clients.push(client);
  return client;
}

function storeOn(keyPrefix: string): RedisStore {
  return new RedisStore({ url: redisUrl(), keyPrefix });
}

function freshPrefix(): string {
  return `test-${randomBytes(8).toString('hex')}:`;
}

/** Where the store keeps each kind of record (see RedisStore). */
const KEY_OF: Record<StoredKind, string> = { transaction: 'tx', enrollment: 'enr', device: 'dev' };

async function overwrite(kind: StoredKind, key: string, text: string): Promise<void> {
  await applicationClient().set(`${prefix}${KEY_OF[kind]}:${key}`, text);
}

describeStoreContract('Redis', {
  create: () => {
    prefix = freshPrefix();
    return Promise.resolve(storeOn(prefix));
  },
  // Another instance (its own connections) on the same data, as a second server would have.
  second: () => Promise.resolve(storeOn(prefix)),
  overwrite,
});

describeStoreContract('Redis (on a client of the application’s)', {
  create: () => {
    prefix = freshPrefix();
    return Promise.resolve(new RedisStore({ redis: applicationClient(), keyPrefix: prefix }));
  },
  second: () => Promise.resolve(new RedisStore({ redis: applicationClient(), keyPrefix: prefix })),
  overwrite,
});

describe('the Redis store on a client of the application’s', () => {
  it('leaves the client open when it closes, and closes the connection it opened', async () => {
    const client = applicationClient();
    const store = new RedisStore({ redis: client, keyPrefix: freshPrefix() });
    const stop = store.onTransactionChange(() => undefined); // opens its subscriber connection
    await store.listening();
    await store.close();
    stop();
    assert.equal(await client.ping(), 'PONG');
  });

  it('reads a key of another Redis type as unreadable', async () => {
    const keyPrefix = freshPrefix();
    const client = applicationClient();
    const store = new RedisStore({ redis: client, keyPrefix });
    const key = sha256Hex('hash');
    await client.hset(`${keyPrefix}tx:${key}`, 'state', 'accepted');
    await assert.rejects(store.getTransaction(key), isStoreError('unreadable'));
    await store.close();
  });

  it('is `unavailable` while Redis cannot be reached, and `closed` once closed', async () => {
    const unreachable = unreachableRedis();
    const store = new RedisStore({ redis: unreachable });
    await assert.rejects(store.getTransaction(sha256Hex('x')), isStoreError('unavailable'));
    unreachable.disconnect();

    const own = storeOn(freshPrefix());
    await own.close();
    await assert.rejects(own.getTransaction(sha256Hex('x')), isStoreError('closed'));
  });
});

describe('the Redis store across instances', () => {
  it('wakes a listener on instance B when instance A changes a transaction', async (t) => {
    const keyPrefix = freshPrefix();
    const a = storeOn(keyPrefix);
    const b = storeOn(keyPrefix);
    try {
      const { record, otp } = transactionFixture();
      await a.insertTransaction(record);
      const heard: { key: string; at: number }[] = [];
      const stop = b.onTransactionChange((key) => heard.push({ key, at: performance.now() }));
      await b.listening();

      const changedAt = performance.now();
      const redeemed = await a.redeemTransaction(record.key, {
        otpHash: sha256Hex(otp),
        deviceId: 'device-1',
        userId: 'alice',
        now: record.createdAt + 1,
        shownDigest: SHOWN_DIGEST,
      });
      assert.ok(redeemed.ok);

      await until(() => heard.length > 0, 'B to hear the change');
      stop();
      assert.deepEqual(
        heard.map((entry) => entry.key),
        [record.key],
        'B heard the change within 1 s',
      );
      const latency = (heard[0]?.at ?? Number.NaN) - changedAt;
      assert.ok(latency <= 1_000, `B heard the change after ${latency.toFixed(1)} ms`);
      // Logged to compare, not asserted: it depends on the machine.
      t.diagnostic(`cross-instance wake-up after ${latency.toFixed(1)} ms`);
      assert.equal((await b.getTransaction(record.key))?.state, 'redeemed');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
