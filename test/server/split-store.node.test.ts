// An operator who runs several Token Servers on PostgreSQL for what must last and Redis for what
// may be lost, as Onegini splits it: the pair keeps the store contract, and a Redis that restarts
// without persistence costs the logins of the moment, never a linked phone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PostgresStore } from '../../src/server/store/postgres-store.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { SplitStore } from '../../src/server/store/split-store.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import {
  describeStoreContract,
  deviceFixture,
  enroll,
  transactionFixture,
} from './store-contract.js';

let postgres: PostgresServer | undefined;
let redis: RedisServer | undefined;
let names = { schema: '', prefix: '' };

before(async () => {
  [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
});

after(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

function splitOn(on: { schema: string; prefix: string }): SplitStore {
  if (postgres === undefined || redis === undefined) throw new Error('the servers are not running');
  return new SplitStore(
    new PostgresStore({ connectionString: postgres.url, schema: on.schema }),
    new RedisStore({ url: redis.url, keyPrefix: on.prefix }),
  );
}

function freshNames(): { schema: string; prefix: string } {
  const id = randomBytes(8).toString('hex');
  return { schema: `split_${id}`, prefix: `split-${id}:` };
}

describeStoreContract('PostgreSQL for what lasts, Redis for what may be lost', {
  create: () => {
    names = freshNames();
    return Promise.resolve(splitOn(names));
  },
  second: () => Promise.resolve(splitOn(names)),
});

describe('a split store when Redis restarts without persistence', () => {
  it('loses the logins in progress and keeps every linked phone', async () => {
    const on = freshNames();
    const store = splitOn(on);
    try {
      const device = deviceFixture({ userId: 'alice' });
      await enroll(store, device);
      const login = transactionFixture().record;
      await store.insertTransaction(login);

      const port = redis?.port;
      await redis?.stop();
      redis = await startRedisServer({ port });
      await until(() => store.readiness().ready, 'the store to reconnect to Redis');

      assert.equal(await store.getTransaction(login.key), undefined, 'the login is gone');
      assert.deepEqual(await store.getDevice(device.id), device, 'the phone is kept');
      assert.deepEqual(
        (await store.listDevices(device.clientId, 'alice')).map((kept) => kept.id),
        [device.id],
      );
    } finally {
      await store.close();
    }
  });
});
