// An operator's worst minute: the Token Server, or the store under it, is killed (kill -9) while
// phones link and users log in. Whatever the server acknowledged before (a phone linked, a login
// accepted) must be there after the restart (issue 19: "nothing acknowledged is ever lost").
// Load is bounded: a few callers on 127.0.0.1, for as long as it takes to acknowledge a handful.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTokenServerProcess } from '../support/token-server-process.js';
import { until } from '../support/until.js';
import { lostOf, startLoad, type AcknowledgedWork, type Load } from './acknowledged-work.js';
import { testConfig } from './token-server-fixture.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-kill-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Callers at once, and how much each kind of work is acknowledged before the kill. */
const WORKERS = 6;
const BEFORE_THE_KILL = 12;

/** Until the load has BEFORE_THE_KILL phones linked and as many logins accepted. */
function untilAcknowledged(load: Load, what: string): Promise<void> {
  return until(
    () =>
      load.work.devices.length >= BEFORE_THE_KILL && load.work.answers.length >= BEFORE_THE_KILL,
    what,
    60_000,
  );
}

/** The figures of a run, for the test's output (docs/deploy.md quotes them). */
function describeWork(work: AcknowledgedWork): string {
  return `${work.devices.length} phones linked and ${work.answers.length} logins accepted, all there afterwards; ${work.failures} calls refused meanwhile`;
}

function configFile(name: string, overrides: Parameters<typeof testConfig>[0] = {}): string {
  const path = join(directory, `${name}.json`);
  // The load comes from one address: the per-address limit would otherwise stop it.
  const unlimited = { points: 1_000_000, durationSeconds: 60 };
  writeFileSync(
    path,
    JSON.stringify(
      testConfig({ rateLimits: { perIp: unlimited, perClient: unlimited }, ...overrides }),
    ),
  );
  return path;
}

describe('nothing acknowledged is lost to kill -9, under load', () => {
  it('SQLite: the Token Server is killed and started again on its file', async (t) => {
    const env = {
      TOKEN_SERVER_CONFIG: configFile('sqlite'),
      TOKEN_SERVER_DATABASE: join(directory, 'killed.db'),
      TOKEN_SERVER_CREATE_DATABASE: '1',
      LOG_LEVEL: 'error',
    };
    const first = await startTokenServerProcess(env);
    const port = Number(new URL(first.url).port);
    const load = startLoad(first.url, WORKERS);
    try {
      await untilAcknowledged(load, 'work acknowledged before the kill');
      await first.stop('SIGKILL');
    } finally {
      await Promise.all([load.stop(), first.stop('SIGKILL')]);
    }

    const second = await startTokenServerProcess(
      { ...env, TOKEN_SERVER_CREATE_DATABASE: '0' },
      port,
    );
    try {
      assert.deepEqual(await lostOf(second.url, load.work), []);
      t.diagnostic(describeWork(load.work));
    } finally {
      await second.stop();
    }
  });

  it('Redis with an append-only file: Redis is killed under a running Token Server and started again', async (t) => {
    const redisDirectory = mkdtempSync(join(directory, 'redis-'));
    let redis = await startRedisServer({ appendOnlyIn: redisDirectory });
    const server = await startTokenServerProcess({
      TOKEN_SERVER_CONFIG: configFile('redis'),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'fatal', // Redis connection errors are the point here
    });
    const load = startLoad(server.url, WORKERS);
    try {
      await untilAcknowledged(load, 'work acknowledged before the kill');
      await redis.kill();
      const failuresAtKill = load.work.failures;
      // The server refuses while Redis is away (fast: nothing waits in a queue) ...
      await until(() => load.work.failures > failuresAtKill, 'calls refused while Redis is down');
      redis = await startRedisServer({ port: redis.port, appendOnlyIn: redisDirectory });
      // ... and serves again once it is back: more work is acknowledged.
      const acknowledged = load.work.answers.length;
      await until(() => load.work.answers.length > acknowledged, 'work acknowledged after', 30_000);
      await load.stop();
      assert.deepEqual(await lostOf(server.url, load.work), []);
      t.diagnostic(describeWork(load.work));
    } finally {
      await load.stop();
      await server.stop();
      await redis.stop();
    }
  });

  it('Redis: one of two Token Server instances is killed; the other has everything it acknowledged', async (t) => {
    const redis = await startRedisServer({ appendOnlyIn: mkdtempSync(join(directory, 'pair-')) });
    const env = {
      TOKEN_SERVER_CONFIG: configFile('pair'),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'error',
    };
    const [a, b] = await Promise.all([startTokenServerProcess(env), startTokenServerProcess(env)]);
    const load = startLoad(a.url, WORKERS);
    try {
      await untilAcknowledged(load, 'work acknowledged before the kill');
      await a.stop('SIGKILL');
      await load.stop();
      assert.deepEqual(await lostOf(b.url, load.work), []);
      t.diagnostic(describeWork(load.work));
    } finally {
      await load.stop();
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    }
  });

  it('PostgreSQL and Redis: Redis, without persistence, is killed and comes back empty; no linked phone is lost', async (t) => {
    const [postgres, first] = await Promise.all([startPostgresServer(), startRedisServer()]);
    let redis = first;
    const server = await startTokenServerProcess({
      TOKEN_SERVER_CONFIG: configFile('split'),
      POSTGRES_URL: postgres.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'fatal',
    });
    const load = startLoad(server.url, WORKERS);
    try {
      await untilAcknowledged(load, 'work acknowledged before the kill');
      await redis.kill();
      redis = await startRedisServer({ port: redis.port });
      const acknowledged = load.work.devices.length;
      await until(() => load.work.devices.length > acknowledged, 'phones linked after', 30_000);
      await load.stop();
      // The logins of the moment were in Redis, which may lose them; the phones were not.
      assert.deepEqual(await lostOf(server.url, { ...load.work, answers: [] }), []);
      t.diagnostic(`${load.work.devices.length} phones linked, none lost`);
    } finally {
      await load.stop();
      await server.stop();
      await Promise.all([redis.stop(), postgres.stop()]);
    }
  });

  it('PostgreSQL: the database stops at once (as in a crash) under a running Token Server, and starts again', async (t) => {
    const postgres = await startPostgresServer();
    const server = await startTokenServerProcess({
      TOKEN_SERVER_CONFIG: configFile('postgres'),
      POSTGRES_URL: postgres.url,
      LOG_LEVEL: 'fatal', // PostgreSQL connection errors are the point here
    });
    const load = startLoad(server.url, WORKERS);
    try {
      await untilAcknowledged(load, 'work acknowledged before the crash');
      // 'immediate' ends every PostgreSQL process without a checkpoint: it recovers from its
      // write-ahead log on the next start, as after kill -9.
      await postgres.shutDown('immediate');
      const failuresAtCrash = load.work.failures;
      await until(() => load.work.failures > failuresAtCrash, 'calls refused while it is down');
      await postgres.start();
      const acknowledged = load.work.answers.length;
      await until(() => load.work.answers.length > acknowledged, 'work acknowledged after', 30_000);
      await load.stop();
      assert.deepEqual(await lostOf(server.url, load.work), []);
      t.diagnostic(describeWork(load.work));
    } finally {
      await load.stop();
      await server.stop();
      await postgres.stop();
    }
  });
});
