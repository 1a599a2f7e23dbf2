import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { TokenServerFixture } from './token-server-fixture.js';

let redis: RedisServer | undefined;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});

describe('two Token Server instances sharing Redis', () => {
  it('wake a wait held on instance B when the phone answers on instance A', async (t) => {
    if (redis === undefined) throw new Error('redis-server is not running');
    const keyPrefix = `scale-${randomBytes(6).toString('hex')}:`;
    const storeA = new RedisStore({ url: redis.url, keyPrefix });
    const storeB = new RedisStore({ url: redis.url, keyPrefix });
    const a = new TokenServerFixture(storeA);
    const b = new TokenServerFixture(storeB);
    b.now = a.now;
    try {
      await storeB.listening();
      const phone = await a.enrollDevice('alice');
      const login = await a.initialize();

      const waiting = b.result(login.transaction_id, '?wait=20&status=pending');
      await new Promise((resolve) => setTimeout(resolve, 50)); // let B take up the wait
      const answeredAt = performance.now();
      const redeemed = await a.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
        otp: login.code,
      });
      assert.equal(redeemed.status, 200);
      const woken = await waiting;
      const latency = performance.now() - answeredAt;

      assert.equal(woken.body.status, 'scanned');
      // Woken by the change, not by the 20 s timeout; bench figures hold the exact latency.
      assert.ok(latency < 1_000, `woken after ${latency.toFixed(1)} ms`);
      t.diagnostic(`instance B woke ${latency.toFixed(1)} ms after the redeem on instance A`);
    } finally {
      await a.server.close();
      await b.server.close();
    }
  });
});
