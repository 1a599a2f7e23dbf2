import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { transactionFixture } from './store-contract.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-race-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A worker that loads a TypeScript module through tsx (workers do not inherit its hooks). */
function tsWorkerSource(url: URL): string {
  return `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
}

describe('the SQLite store under a real race', () => {
  it('lets exactly one of 1,000 accept/deny pairs win across two threads with their own connections', async () => {
    const file = join(directory, 'race.db');
    const setup = new SqliteStore(file);
    const { record } = transactionFixture({ state: 'redeemed', deviceId: 'd', userId: 'u' });
    await setup.insertTransaction(record);

    const workers = [true, false].map(
      (accepted) =>
        new Worker(tsWorkerSource(new URL('./workers/sqlite-answerer.ts', import.meta.url)), {
          eval: true,
          workerData: {
            file,
            key: record.key,
            deviceId: 'd',
            accepted,
            count: 1_000,
            now: record.createdAt + 1,
          },
        }),
    );
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const results = workers.map(async (worker) => {
      const [message] = (await once(worker, 'message')) as [{ won: number; reasons: string[] }];
      return message;
    });
    for (const worker of workers) worker.postMessage('go'); // start both at once
    const outcomes = await Promise.all(results);
    await Promise.all(workers.map((worker) => worker.terminate()));

    assert.equal(
      outcomes.reduce((sum, outcome) => sum + outcome.won, 0),
      1,
    );
    for (const outcome of outcomes) {
      assert.ok(
        outcome.reasons.every((reason) => reason === 'already_handled'),
        outcome.reasons.join(),
      );
    }
    const final = await setup.getTransaction(record.key);
    assert.equal(final?.version, record.version + 1);
    await setup.close();
  });
});
