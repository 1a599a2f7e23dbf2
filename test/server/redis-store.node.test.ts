import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/server/security/hashing.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeStoreContract, transactionFixture } from './store-contract.js';

let server: RedisServer | undefined;
let prefix = '';

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  await server?.stop();
});

function storeOn(keyPrefix: string): RedisStore {
  if (server === undefined) throw new Error('redis-server is not running');
  return new RedisStore({ url: server.url, keyPrefix });
}

function freshPrefix(): string {
  return `test-${randomBytes(8).toString('hex')}:`;
}

describeStoreContract('Redis', {
  create: () => {
    prefix = freshPrefix();
    return Promise.resolve(storeOn(prefix));
  },
  // Another instance (its own connections) on the same data, as a second server would have.
  second: () => Promise.resolve(storeOn(prefix)),
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
      });
      assert.ok(redeemed.ok);

      const deadline = changedAt + 1_000;
      while (heard.length === 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
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
