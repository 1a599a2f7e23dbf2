// An operator's story: a store that cannot keep what it is told says so, at start and while the
// server runs, instead of answering as if nothing happened (issue 19: the Redis persistence check,
// the mark that notices a Redis that lost its data, /readyz that reflects the store).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createTokenServer } from '../../src/server/token-server/app.js';
import { redisDurabilityProblems } from '../../src/server/store/redis-durability.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { StoreError } from '../../src/server/store/store-error.js';
import type { StoreReadiness } from '../../src/server/store/store.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import { transactionFixture } from './store-contract.js';
import { BASE, testConfig } from './token-server-fixture.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-readiness-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Why the store is not ready; fails the test if it is. */
function notReadyReason(readiness: StoreReadiness): string {
  assert.equal(readiness.ready, false, 'expected the store not to be ready');
  return readiness.reason;
}

async function readyz(store: SqliteStore | RedisStore): Promise<{ status: number; body: unknown }> {
  const server = createTokenServer({ config: testConfig(), store });
  const response = await server.app.fetch(new Request(`${BASE}/readyz`));
  return { status: response.status, body: await response.json() };
}

describe('a SQLite database that goes away under the server', () => {
  it('is ready while its file is the one it opened', async () => {
    const store = new SqliteStore(join(directory, 'kept.db'));
    try {
      assert.deepEqual(store.readiness(), { ready: true });
      assert.deepEqual(await readyz(store), { status: 200, body: { status: 'ready' } });
    } finally {
      await store.close();
    }
  });

  it('turns /readyz to 503 when the file is removed, refuses to write on, and says why in the log only', async () => {
    const file = join(directory, 'removed.db');
    // Its background checkpoints fail too, once the file is gone: not what this test is about.
    const store = new SqliteStore(file, { onCheckpointError: () => undefined });
    try {
      rmSync(file);
      assert.match(notReadyReason(store.readiness()), /removed or moved/);
      // And it writes nothing more: all of it would be gone at the next start.
      await assert.rejects(store.insertTransaction(transactionFixture().record), (error) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'unavailable');
        assert.match(error.message, /writes nothing more/);
        return true;
      });
      const answer = await readyz(store);
      assert.deepEqual(answer, { status: 503, body: { status: 'store_unavailable' } });
      assert.doesNotMatch(JSON.stringify(answer.body), /removed\.db/);
    } finally {
      await store.close();
    }
  });

  it('is not ready when another file takes its place', async () => {
    const file = join(directory, 'replaced.db');
    const store = new SqliteStore(file);
    try {
      renameSync(file, `${file}.old`);
      writeFileSync(file, '');
      assert.match(notReadyReason(store.readiness()), /replaced/);
    } finally {
      await store.close();
    }
  });
});

describe("Redis's persistence settings", () => {
  it('pass with an append-only file synced every second or always, and no allkeys eviction', () => {
    for (const appendfsync of ['everysec', 'always']) {
      for (const policy of ['noeviction', 'volatile-lru', 'volatile-ttl']) {
        assert.deepEqual(
          redisDurabilityProblems({
            appendonly: 'yes',
            appendfsync,
            'maxmemory-policy': policy,
          }),
          [],
        );
      }
    }
  });

  it('name each setting that can lose linked phones', () => {
    const problems = (settings: Parameters<typeof redisDurabilityProblems>[0]) =>
      redisDurabilityProblems(settings).join(' ');
    assert.match(
      problems({ appendonly: 'no', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' }),
      /appendonly yes/,
    );
    assert.match(
      problems({ appendonly: 'yes', appendfsync: 'no', 'maxmemory-policy': 'noeviction' }),
      /appendfsync everysec/,
    );
    assert.match(
      problems({ appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'allkeys-lru' }),
      /allkeys-lru/,
    );
    assert.match(
      problems({ appendonly: null, appendfsync: null, 'maxmemory-policy': null }),
      /CONFIG GET/,
    );
  });
});

describe('a Redis store', () => {
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

  it("reads the running Redis's persistence settings", async () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: 'settings:' });
    try {
      await store.connected();
      // The test Redis runs without persistence.
      const settings = await store.persistenceSettings();
      assert.equal(settings.appendonly, 'no');
      assert.notEqual(redisDurabilityProblems(settings).length, 0);
      await admin.config('SET', 'appendonly', 'yes');
      await admin.config('SET', 'appendfsync', 'everysec');
      assert.deepEqual(redisDurabilityProblems(await store.persistenceSettings()), []);
    } finally {
      await admin.config('SET', 'appendonly', 'no');
      await store.close();
    }
  });

  it('notices a Redis that lost its data, and then tells phones to come back later, not that they are unlinked', async () => {
    const first = new RedisStore({ url: redis.url, keyPrefix: 'lost:' });
    const second = new RedisStore({ url: redis.url, keyPrefix: 'lost:' });
    let losses = 0;
    try {
      assert.equal(await first.markAndWatch(() => (losses += 1)), false, 'a first start');
      assert.equal(await second.markAndWatch(() => undefined), true, 'the mark is found');
      assert.deepEqual(first.readiness(), { ready: true });

      await admin.flushall();
      await first.purgeExpired(Date.now()); // the periodic purge looks for the mark
      assert.equal(losses, 1);
      assert.match(notReadyReason(first.readiness()), /lost its data/);
      await assert.rejects(first.getDevice('0'.repeat(32)), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'unavailable');
        return true;
      });
      assert.deepEqual(await readyz(first), {
        status: 503,
        body: { status: 'store_unavailable' },
      });
      await first.purgeExpired(Date.now());
      assert.equal(losses, 1, 'told once');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('is not ready while Redis is unreachable', async () => {
    const own = await startRedisServer();
    const store = new RedisStore({ url: own.url, keyPrefix: 'down:' });
    try {
      await store.connected();
      assert.deepEqual(store.readiness(), { ready: true });
      await own.stop();
      await until(() => !store.readiness().ready, 'the store to notice that Redis is gone');
      assert.match(notReadyReason(store.readiness()), /not connected/);
    } finally {
      await store.close();
    }
  });
});

describe('the Token Server on a Redis that can lose linked phones', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis.stop();
  });

  /** Starts the Token Server process on the test Redis; resolves with its exit code and output. */
  async function start(config: object): Promise<{ code: number | null; output: string }> {
    const configPath = join(directory, `config-${Date.now()}.json`);
    writeFileSync(configPath, JSON.stringify(config));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/token-server/main.ts'], {
      env: {
        ...process.env,
        TOKEN_SERVER_CONFIG: configPath,
        REDIS_URL: redis.url,
        TOKEN_SERVER_PORT: '0',
        TOKEN_SERVER_APP: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    const listening = until(() => output.includes('token server listening'), 'listening', 30_000);
    const first = await Promise.race([exited.then(() => 'exit'), listening.then(() => 'up')]);
    if (first === 'up') {
      child.kill('SIGTERM');
      await exited;
      return { code: null, output };
    }
    return { code: await exited, output };
  }

  it('refuses to start, and says which setting and how to accept the loss', async () => {
    const { code, output } = await start(testConfig());
    assert.equal(code, 1);
    assert.match(output, /appendonly yes/);
    assert.match(output, /"acceptDataLoss": true/);
  });

  it('starts when the configuration accepts the loss, and warns', async () => {
    const { code, output } = await start(testConfig({ redis: { acceptDataLoss: true } }));
    assert.equal(code, null, output);
    assert.match(output, /Redis can lose linked phones; accepted by the configuration/);
  });
});
