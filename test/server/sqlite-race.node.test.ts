import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { sha256Hex } from '../../src/server/security/hashing.js';
import { transactionFixture } from './store-contract.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-race-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A worker that loads a TypeScript module through tsx (workers do not inherit its hooks). */
function tsWorkerSource(url: URL): string {
  return `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
}

/** Starts a worker on `script` for each `workerData`, lets them go at once, returns their reports. */
async function raceWorkers<Report>(script: string, data: object[]): Promise<Report[]> {
  const workers = data.map(
    (workerData) =>
      new Worker(tsWorkerSource(new URL(script, import.meta.url)), { eval: true, workerData }),
  );
  await Promise.all(workers.map((worker) => once(worker, 'message')));
  const reports = workers.map(async (worker) => {
    const [report] = (await once(worker, 'message')) as [Report];
    return report;
  });
  for (const worker of workers) worker.postMessage('go'); // start them all at once
  const outcomes = await Promise.all(reports);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return outcomes;
}

/** A login that awaits the browser's code (proof of presence), with three tries. */
async function awaitingPresence(store: SqliteStore, code: string) {
  const { record } = transactionFixture({
    state: 'awaiting_presence',
    version: 3,
    deviceId: 'd',
    userId: 'u',
    presenceCodeHash: sha256Hex(code),
    presenceTriesLeft: 3,
  });
  await store.insertTransaction(record);
  return record;
}

describe('the SQLite store under a real race', () => {
  it('lets exactly one of 1,000 accept/deny pairs win across two threads with their own connections', async () => {
    const file = join(directory, 'race.db');
    const setup = new SqliteStore(file);
    const { record } = transactionFixture({ state: 'redeemed', deviceId: 'd', userId: 'u' });
    await setup.insertTransaction(record);

    const outcomes = await raceWorkers<{ won: number; reasons: string[] }>(
      './workers/sqlite-answerer.ts',
      [true, false].map((accepted) => ({
        file,
        key: record.key,
        deviceId: 'd',
        accepted,
        count: 1_000,
        now: record.createdAt + 1,
      })),
    );

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

  it('lets exactly one of 1,000 right proof-of-presence codes typed across two threads accept', async () => {
    const file = join(directory, 'presence-right.db');
    const setup = new SqliteStore(file);
    const record = await awaitingPresence(setup, '482913');

    const outcomes = await raceWorkers<{ changed: number; reasons: string[] }>(
      './workers/sqlite-code-typer.ts',
      [0, 1].map(() => ({
        file,
        key: record.key,
        codes: Array.from({ length: 500 }, () => '482913'),
        now: record.createdAt + 1,
      })),
    );

    assert.equal(
      outcomes.reduce((sum, outcome) => sum + outcome.changed, 0),
      1,
    );
    for (const outcome of outcomes) assert.deepEqual(outcome.reasons, ['already_handled']);
    const final = await setup.getTransaction(record.key);
    assert.equal(final?.state, 'accepted');
    assert.equal(final.version, record.version + 1);
    await setup.close();
  });

  it('counts wrong codes typed across two threads against one set of tries', async () => {
    const file = join(directory, 'presence-wrong.db');
    const setup = new SqliteStore(file);
    const record = await awaitingPresence(setup, '482913');

    const outcomes = await raceWorkers<{ changed: number; reasons: string[] }>(
      './workers/sqlite-code-typer.ts',
      [0, 1].map((thread) => ({
        file,
        key: record.key,
        codes: Array.from({ length: 200 }, (_, index) =>
          String(thread * 200 + index).padStart(6, '0'),
        ),
        now: record.createdAt + 1,
      })),
    );

    // Three tries: two cost a try each, the third denied; every later code found the login over.
    assert.equal(
      outcomes.reduce((sum, outcome) => sum + outcome.changed, 0),
      3,
    );
    const final = await setup.getTransaction(record.key);
    assert.equal(final?.state, 'denied');
    assert.equal(final.deniedReason, 'presence_failed');
    assert.equal(final.version, record.version + 3);
    await setup.close();
  });
});
