import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisStore } from '../../src/server/store/redis-store.js';
import type { TokenServerConfigInput } from '../../src/server/token-server/config.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import { BASE, CLIENT_SECRET, TokenServerFixture } from './token-server-fixture.js';
import { randomTransactionId } from '../support/random-hex.js';

let redis: RedisServer | undefined;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});

/** Two Token Server instances on one Redis (a key prefix of their own), both connected. */
async function twoInstancesOnRedis(name: string, config: Partial<TokenServerConfigInput>) {
  if (redis === undefined) throw new Error('redis-server is not running');
  const keyPrefix = `${name}-${randomBytes(6).toString('hex')}:`;
  const storeA = new RedisStore({ url: redis.url, keyPrefix });
  const storeB = new RedisStore({ url: redis.url, keyPrefix });
  await Promise.all([storeA.connected(), storeB.connected()]);
  const a = new TokenServerFixture(storeA, config);
  const b = new TokenServerFixture(storeB, config);
  return {
    a,
    b,
    close: async () => {
      await a.server.close();
      await b.server.close();
    },
  };
}

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
      await until(() => b.server.waiter.size === 1, 'instance B to hold the wait');
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

  it('confirm a link once and take a presence code once, whichever instance each call reaches', async () => {
    const { a, b, close } = await twoInstancesOnRedis('ceremony', {});
    b.now = a.now;
    try {
      // A phone links through instance A; the website reads and answers through B.
      const phone = await a.enrollPendingDevice('alice');
      const asked = await b.linkStatus(phone.enrollmentId);
      assert.equal(asked.body.status, 'confirm');
      assert.equal(asked.body.compare_code, phone.compareCode);
      const words = await Promise.all([
        b.confirmLink(phone.enrollmentId, true),
        a.confirmLink(phone.enrollmentId, false),
        b.confirmLink(phone.enrollmentId, true),
      ]);
      assert.equal(words.filter((word) => word.status === 200).length, 1, 'one word counts');
      const outcome = (await a.linkStatus(phone.enrollmentId)).body.status;
      assert.ok(outcome === 'accepted' || outcome === 'denied', String(outcome));

      // A confirmed phone's login needs its code typed; the code counts once, on either instance.
      const linked = await a.enrollDevice('bob');
      const login = await a.initialize({ type: 'otp_presence' });
      const path = `/transactions/${login.transaction_id}`;
      assert.equal((await a.mobile(linked, `${path}/redeem`, { otp: login.code })).status, 200);
      const answered = await a.mobile(linked, `${path}/answer`, { answer: 'accept' });
      const code = String(answered.body['presence_code']);
      assert.match(code, /^\d{6}$/);
      assert.equal((await b.result(login.transaction_id)).body.status, 'confirm');
      const typed = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? a : b).typePresenceCode(login.transaction_id, code),
        ),
      );
      const accepted = typed.filter((one) => one.status === 200 && one.body.status === 'accepted');
      assert.equal(accepted.length, 1, 'one call takes the code');
      assert.equal((await b.result(login.transaction_id)).body.is_authenticated, true);

      // Wrong codes spread over both instances count together: the third ends the login.
      const other = await b.initialize({ type: 'otp_presence' });
      const otherPath = `/transactions/${other.transaction_id}`;
      await a.mobile(linked, `${otherPath}/redeem`, { otp: other.code });
      const right = String(
        (await a.mobile(linked, `${otherPath}/answer`, { answer: 'accept' })).body['presence_code'],
      );
      const wrong = right === '000000' ? '111111' : '000000';
      await a.typePresenceCode(other.transaction_id, wrong);
      await b.typePresenceCode(other.transaction_id, wrong);
      const last = await a.typePresenceCode(other.transaction_id, wrong);
      assert.equal(last.body.status, 'denied');
      const late = await b.typePresenceCode(other.transaction_id, right);
      assert.notEqual(late.body.status, 'accepted');
    } finally {
      await close();
    }
  });

  it('share their rate limits: an address or a client gets its limit once, not once an instance', async () => {
    const { a, b, close } = await twoInstancesOnRedis('limits', {
      rateLimits: {
        perIp: { points: 4, durationSeconds: 60 },
        perClient: { points: 4, durationSeconds: 60 },
      },
    });
    const redeemFrom = (instance: TokenServerFixture, ip: string) =>
      instance.fetch(
        new Request(`${BASE}/api/mobile/v1/transactions/${randomTransactionId()}/redeem`, {
          method: 'POST',
          headers: { 'x-test-ip': ip },
          body: '{}',
        }),
      );
    const readResultOn = (instance: TokenServerFixture) =>
      instance.fetch(
        new Request(`${BASE}/oauth/api/v4/authenticate/transaction/${randomTransactionId()}`, {
          headers: { authorization: `Basic ${btoa(`demo:${CLIENT_SECRET}`)}` },
        }),
      );
    try {
      // A phone address: two requests on each instance use up its 4, the fifth is refused on either.
      for (const instance of [a, b, a, b])
        assert.equal((await redeemFrom(instance, '198.51.100.1')).status, 401);
      assert.equal((await redeemFrom(a, '198.51.100.1')).status, 429);
      assert.equal((await redeemFrom(b, '198.51.100.1')).status, 429);
      assert.equal((await redeemFrom(b, '198.51.100.2')).status, 401);
      // A website's client id, the same way.
      for (const instance of [a, b, a, b]) assert.equal((await readResultOn(instance)).status, 404);
      assert.equal((await readResultOn(b)).status, 429);
    } finally {
      await close();
    }
  });

  it('count wrong client secrets sent at once from one address atomically, across instances', async () => {
    const { a, b, close } = await twoInstancesOnRedis('guesses', {
      rateLimits: {
        perIp: { points: 1000, durationSeconds: 60 },
        perClient: { points: 1000, durationSeconds: 60 },
        failedAuthPerIp: { points: 5, durationSeconds: 60 },
      },
    });
    const guessOn = (instance: TokenServerFixture, secret: string) =>
      instance.fetch(
        new Request(`${BASE}/oauth/api/v4/authenticate/transaction/${randomTransactionId()}`, {
          headers: {
            authorization: `Basic ${btoa(`demo:${secret}`)}`,
            'x-test-ip': '203.0.113.66',
          },
        }),
      );
    try {
      assert.equal((await guessOn(a, 'wrong-0')).status, 401);
      // 100 guesses at once, half on each instance: 4 more may be checked, the rest get 429.
      const statuses = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          guessOn(index % 2 === 0 ? a : b, `wrong-${index + 1}`).then(
            (response) => response.status,
          ),
        ),
      );
      assert.equal(statuses.filter((status) => status === 401).length, 4);
      assert.equal(statuses.filter((status) => status === 429).length, 96);
      // Even the right secret waits out the window from that address.
      assert.equal((await guessOn(b, CLIENT_SECRET)).status, 429);
    } finally {
      await close();
    }
  });
});
