import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { sha256Hex } from '../../src/server/security/hashing.js';
import { PostgresStore } from '../../src/server/store/postgres-store.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { nothingHappensFor, until } from '../support/until.js';
import {
  describeStoreContract,
  deviceFixture,
  enroll,
  isStoreError,
  SHOWN_DIGEST,
  transactionFixture,
  type StoredKind,
} from './store-contract.js';

let server: PostgresServer | undefined;
let schema = '';
const pools: pg.Pool[] = [];

before(async () => {
  server = await startPostgresServer();
});

after(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  await server?.stop();
});

function postgresUrl(): string {
  if (server === undefined) throw new Error('PostgreSQL is not running');
  return server.url;
}

/** A pool of the application's own, which it may hand to the store. */
function applicationPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: postgresUrl() });
  // An idle connection dropped by the server is the application's to hear (see PostgresStore).
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

function storeOn(onSchema: string): PostgresStore {
  return new PostgresStore({ connectionString: postgresUrl(), schema: onSchema });
}

function freshSchema(): string {
  return `test_${randomBytes(8).toString('hex')}`;
}

/** The row each kind of record is kept in (see PostgresStore's tables). */
const ROW_OF: Record<StoredKind, string> = {
  transaction: 'UPDATE "%s".transactions SET data = $1 WHERE key = $2',
  enrollment: 'UPDATE "%s".enrollments SET data = $1 WHERE key = $2',
  device: 'UPDATE "%s".devices SET data = $1 WHERE id = $2',
};

/** Another program writing to the table: a connection of its own. */
async function overwrite(kind: StoredKind, key: string, text: string): Promise<void> {
  const client = new pg.Client(postgresUrl());
  await client.connect();
  try {
    const { rowCount } = await client.query(ROW_OF[kind].replace('%s', schema), [text, key]);
    assert.equal(rowCount, 1, `no ${kind} ${key} to overwrite`);
  } finally {
    await client.end();
  }
}

describeStoreContract('PostgreSQL', {
  create: () => {
    schema = freshSchema();
    return Promise.resolve(storeOn(schema));
  },
  // Another instance (its own pool and listening connection) on the same tables.
  second: () => Promise.resolve(storeOn(schema)),
  overwrite,
});

describeStoreContract('PostgreSQL (on a pool of the application’s)', {
  create: () => {
    schema = freshSchema();
    return Promise.resolve(new PostgresStore({ pool: applicationPool(), schema }));
  },
  second: () => Promise.resolve(new PostgresStore({ pool: applicationPool(), schema })),
  overwrite,
});

describe('the PostgreSQL store', () => {
  it('creates its tables once when instances start together on an empty database', async () => {
    const onSchema = freshSchema();
    const stores = Array.from({ length: 4 }, () => storeOn(onSchema));
    try {
      await Promise.all(
        stores.map((store) => store.insertTransaction(transactionFixture().record)),
      );
      await Promise.all(stores.map((store) => store.listening()));
      assert.ok(stores.every((store) => store.readiness().ready));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuses a schema name it would have to quote, as a TypeError', () => {
    assert.throws(
      () => new PostgresStore({ connectionString: postgresUrl(), schema: 'a"; DROP TABLE x' }),
      TypeError,
    );
  });

  it('leaves the application’s pool open when it closes', async () => {
    const pool = applicationPool();
    const store = new PostgresStore({ pool, schema: freshSchema() });
    await store.listening();
    await store.close();
    assert.deepEqual((await pool.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
    assert.equal(pool.totalCount - pool.idleCount, 0, 'the listening connection was given back');
  });

  it('is `unavailable` and not ready while PostgreSQL cannot be reached, and `closed` once closed', async () => {
    const errors: Error[] = [];
    // The discard port: nothing listens there.
    const store = new PostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:9/postgres',
      onConnectionError: (error) => errors.push(error),
    });
    await assert.rejects(store.getTransaction(sha256Hex('x')), isStoreError('unavailable'));
    const readiness = store.readiness();
    assert.equal(readiness.ready, false);
    await until(() => errors.length > 0, 'the connection error reported');
    await store.close();
    await assert.rejects(store.getTransaction(sha256Hex('x')), isStoreError('closed'));
  });
});

describe('the PostgreSQL store across instances', () => {
  it('wakes a listener on instance B when instance A changes a transaction (LISTEN/NOTIFY)', async (t) => {
    const onSchema = freshSchema();
    const a = storeOn(onSchema);
    const b = storeOn(onSchema);
    const elsewhere = storeOn(freshSchema());
    try {
      const { record, otp } = transactionFixture();
      await a.insertTransaction(record);
      const heard: { key: string; at: number }[] = [];
      const stop = b.onTransactionChange((key) => heard.push({ key, at: performance.now() }));
      const heardElsewhere: string[] = [];
      const stopElsewhere = elsewhere.onTransactionChange((key) => heardElsewhere.push(key));
      await b.listening();
      await elsewhere.listening();

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
      const latency = (heard[0]?.at ?? Number.NaN) - changedAt;
      assert.deepEqual(
        heard.map((entry) => entry.key),
        [record.key],
      );
      assert.ok(latency <= 1_000, `B heard the change after ${latency.toFixed(1)} ms`);
      t.diagnostic(`cross-instance wake-up after ${latency.toFixed(1)} ms`);
      assert.equal((await b.getTransaction(record.key))?.state, 'redeemed');
      // A store in another schema is another app: it hears nothing of this one.
      await nothingHappensFor(100);
      assert.deepEqual(heardElsewhere, []);
      stop();
      stopElsewhere();
    } finally {
      await Promise.all([a.close(), b.close(), elsewhere.close()]);
    }
  });

  it('listens again when its listening connection is cut, and says so: every held wait reads again', async () => {
    const onSchema = freshSchema();
    const store = storeOn(onSchema);
    const admin = applicationPool();
    try {
      const live = transactionFixture({ expiresAt: Date.now() + 60_000 }).record;
      const expired = transactionFixture({ expiresAt: Date.now() - 120_000 }).record;
      await store.insertTransaction(live);
      await store.insertTransaction(expired);
      const heard: string[] = [];
      const stop = store.onTransactionChange((key) => heard.push(key));
      let resumes = 0;
      const stopResumes = store.onChangeFeedResumed(() => {
        resumes += 1;
      });
      await store.listening();
      assert.equal(heard.length, 0);
      assert.equal(resumes, 0);

      // As an operator's pg_terminate_backend, or a proxy that drops idle connections, would.
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
        [`otp-login-qr changes ${onSchema}`],
      );
      assert.equal(rowCount, 1);

      // A change made while it did not listen might have gone unheard: every transaction that
      // can still be waited on is announced once it listens again, so each held wait reads again.
      await until(() => heard.includes(live.key), 'the live transaction announced');
      await store.listening();
      assert.ok(!heard.includes(expired.key), 'an expired transaction is not announced');
      assert.equal(resumes, 1, 'those who listen for gaps are told of this one');
      assert.ok(store.readiness().ready);
      stop();
      stopResumes();
    } finally {
      await store.close();
    }
  });
});

describe('the PostgreSQL store across a restart of PostgreSQL', () => {
  it('is not ready while PostgreSQL is down, keeps its data, and works again once it is back', async () => {
    const running = server;
    if (running === undefined) throw new Error('PostgreSQL is not running');
    const store = new PostgresStore({
      connectionString: postgresUrl(),
      schema: freshSchema(),
      onConnectionError: () => undefined,
    });
    try {
      const { record, otp } = transactionFixture();
      await store.insertTransaction(record);
      const heard: string[] = [];
      const stop = store.onTransactionChange((key) => heard.push(key));
      await store.listening();
      assert.ok(store.readiness().ready);

      await running.shutDown('fast');
      await until(() => !store.readiness().ready, 'the store to say it is not ready');
      await assert.rejects(store.getTransaction(record.key), isStoreError('unavailable'));

      await running.start();
      await until(() => store.readiness().ready, 'the store to be ready again');
      assert.deepEqual(await store.getTransaction(record.key), record);

      // It listens again: a change is heard as before.
      heard.length = 0;
      const redeemed = await store.redeemTransaction(record.key, {
        otpHash: sha256Hex(otp),
        deviceId: 'device-1',
        userId: 'alice',
        now: record.createdAt + 1,
        shownDigest: SHOWN_DIGEST,
      });
      assert.ok(redeemed.ok);
      await until(() => heard.includes(record.key), 'the change after the restart heard');
      stop();
    } finally {
      await store.close();
    }
  });
});

/** Waits until `condition` (a query) holds, asking again as soon as it answers, or fails. */
async function untilAnswered(
  condition: () => Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
  }
}

/**
 * A link confirmation held inside its transaction, on a connection checked out of the store's
 * pool: another connection holds the enrollment's row, so the confirmation reads both records,
 * then waits at its first write, where PostgreSQL shows it waiting for a lock. `end()` lets go of
 * the row and closes everything.
 */
async function heldConfirmation() {
  const onSchema = freshSchema();
  const store = storeOn(onSchema);
  const locker = new pg.Client(postgresUrl());
  const observer = new pg.Client(postgresUrl());
  await Promise.all([locker.connect(), observer.connect()]);
  const device = deviceFixture({ confirmedAt: null });
  const enrollment = await enroll(store, device);
  await locker.query('BEGIN');
  await locker.query(`SELECT 1 FROM "${onSchema}".enrollments WHERE key = $1 FOR UPDATE`, [
    enrollment.key,
  ]);
  const confirming = store.confirmEnrollment(enrollment.key, {
    matches: true,
    now: device.createdAt + 10,
  });
  // Settled here too, so that a test that fails before it awaits leaves no rejection unheard.
  confirming.catch(() => undefined);
  /** The process id of the backend that waits for the row, once there is one. */
  const waiter = async (): Promise<number | undefined> => {
    const { rows } = await observer.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%"${onSchema}".enrollments%`],
    );
    return rows[0]?.pid;
  };
  await untilAnswered(
    async () => (await waiter()) !== undefined,
    'the confirmation to wait for the enrollment’s row',
  );
  return {
    store,
    device,
    enrollment,
    confirming,
    observer,
    waiter,
    letGo: () => locker.query('COMMIT'),
    async end() {
      await locker.query('ROLLBACK').catch(() => undefined);
      await Promise.all([locker.end(), observer.end()]);
      await store.close();
    },
  };
}

describe('the PostgreSQL store confirming a link', () => {
  it('never undoes a revoke that lands between the confirmation’s reads and its writes', async () => {
    const held = await heldConfirmation();
    const { store, device } = held;
    try {
      // The owner removes the phone meanwhile; then the confirmation goes on.
      assert.equal(await store.revokeDevice(device.id, device.createdAt + 5), true);
      await held.letGo();
      const confirmed = await held.confirming;

      assert.ok(confirmed.ok);
      assert.equal(confirmed.record.outcome, 'refused');
      assert.deepEqual(await store.getDevice(device.id), {
        ...device,
        revokedAt: device.createdAt + 5,
      });
    } finally {
      await held.end();
    }
  });
});

describe('the PostgreSQL store losing a connection in the middle of a transaction', () => {
  it('fails that one call with a typed error, and serves the next one on another connection', async () => {
    // The moment a crash or an operator's pg_terminate_backend ends a checked-out connection.
    const held = await heldConfirmation();
    const { store, device, enrollment } = held;
    try {
      await held.observer.query('SELECT pg_terminate_backend($1)', [await held.waiter()]);

      await assert.rejects(held.confirming, isStoreError('unavailable'));
      await held.letGo();
      // The process is still there (pg's error event was heard), and so is the store.
      const confirmed = await store.confirmEnrollment(enrollment.key, {
        matches: true,
        now: device.createdAt + 20,
      });
      assert.ok(confirmed.ok);
      assert.equal(confirmed.record.outcome, 'confirmed');
    } finally {
      await held.end();
    }
  });
});
