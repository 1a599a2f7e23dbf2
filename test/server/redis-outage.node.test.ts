// An operator's Redis goes away for a while and comes back (issue 19, "fail fast, recover
// cleanly"): calls fail at once with the store's `unavailable` (the server answers 503) instead of
// hanging in a queue and running after their callers gave up; the store serves again as soon as
// Redis is back; and a change announced while an instance was not listening still reaches the
// waits it holds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { StoreError } from '../../src/server/store/store-error.js';
import { StatusWaiter } from '../../src/server/token-server/status-waiter.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import { transactionFixture } from './store-contract.js';

function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof StoreError, String(error));
  assert.equal(error.code, 'unavailable');
  return true;
}

describe('a Redis store while Redis is down', () => {
  // The time-out bounds a hang, it measures nothing: a command queued while Redis is down would
  // wait through ioredis's 20 reconnect attempts (over 10 s) before it failed.
  it(
    'fails each call at once, and serves again when Redis is back, with nothing queued meanwhile',
    { timeout: 5_000 },
    async () => {
      let redis = await startRedisServer();
      const store = new RedisStore({ url: redis.url, keyPrefix: 'outage:' });
      try {
        const kept = transactionFixture().record;
        await store.insertTransaction(kept);

        await redis.stop();
        await until(() => !store.readiness().ready, 'the store to notice');
        const refused = transactionFixture().record;
        // Queued, this call would wait for Redis and run after its caller had given up: it must
        // fail now, while Redis is still down.
        await assert.rejects(store.insertTransaction(refused), isUnavailable);
        await assert.rejects(store.getTransaction(kept.key), isUnavailable);

        redis = await startRedisServer({ port: redis.port });
        await until(() => store.readiness().ready, 'the store to reconnect');
        // The test Redis keeps nothing across a restart; what counts is that the refused call did
        // not run later: its record is not there.
        assert.equal(await store.getTransaction(refused.key), undefined);
        await store.insertTransaction(refused);
        assert.deepEqual(await store.getTransaction(refused.key), refused);
      } finally {
        await store.close();
        await redis.stop();
      }
    },
  );
});

describe("an instance's change feed with a gap", () => {
  let redis: RedisServer;
  let admin: Redis;
  before(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url);
  });
  after(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it('tells its listeners when it listens again after losing its subscription', async () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: 'gap:' });
    let resumed = 0;
    try {
      store.onTransactionChange(() => undefined);
      store.onChangeFeedResumed(() => (resumed += 1));
      await store.listening();
      assert.equal(resumed, 0, 'not for the first subscription');
      // Redis drops the subscribed connection, as it does on a restart or a network cut.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(() => resumed === 1, 'the feed to resume');
    } finally {
      await store.close();
    }
  });

  it('wakes every held wait when the feed resumes, so that each reads its transaction again', async () => {
    const memory = new MemoryStore();
    let resume = (): void => undefined;
    const store = Object.assign(memory, {
      onChangeFeedResumed(listener: () => void) {
        resume = listener;
        return () => undefined;
      },
    });
    const waiter = new StatusWaiter(store);
    const first = waiter.wait('a', 60_000);
    const second = waiter.waitAny(['b', 'c'], 60_000);
    assert.equal(waiter.size, 3, 'a wait on each of the three keys');
    resume();
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
    assert.equal(waiter.size, 0);
    waiter.close();
  });
});
