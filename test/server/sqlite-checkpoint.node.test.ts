import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { until } from '../support/until.js';
import { transactionFixture } from './store-contract.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-checkpoint-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** SQLite's default: the writer checkpoints inside the commit that makes the WAL this long. */
const DEFAULT_AUTOCHECKPOINT_FRAMES = 1000;
const PAGE_BYTES = 4096;

describe('SQLite checkpoints, off the server thread', () => {
  it('lets the WAL grow past the default checkpoint size, then copies it all from the worker', async () => {
    const file = join(directory, 'grow.db');
    const store = new SqliteStore(file);
    const keys: string[] = [];
    // Each commit appends at least one frame; 1,500 commits pass SQLite's default of 1,000.
    for (let index = 0; index < 1500; index += 1) {
      const { record } = transactionFixture();
      keys.push(record.key);
      await store.insertTransaction(record);
    }
    // With SQLite's own checkpoints on this thread, the WAL would have started over at 1,000
    // frames and its file would stay near that size.
    assert.ok(
      statSync(`${file}-wal`).size > 1.2 * DEFAULT_AUTOCHECKPOINT_FRAMES * PAGE_BYTES,
      'the server thread checkpointed on its own',
    );

    const result = await store.checkpoint();
    assert.equal(result.busy, 0);
    assert.ok(result.log >= 1500, `${result.log} frames in the WAL`);
    assert.equal(result.checkpointed, result.log, 'every frame is in the database file');

    // The last connection to close removes the WAL; a fresh store reads every record.
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false);
    const reopened = new SqliteStore(file);
    for (const key of [keys[0], keys[749], keys[1499]])
      assert.equal((await reopened.getTransaction(key ?? ''))?.key, key);
    await reopened.close();
  });

  it('checkpoints in the background, without being asked', async () => {
    const file = join(directory, 'background.db');
    const store = new SqliteStore(file);
    for (let index = 0; index < 50; index += 1)
      await store.insertTransaction(transactionFixture().record);
    // Until a checkpoint, SQLite leaves the database file at its first page and the rows in the
    // WAL; within a couple of checkpoint intervals the worker has copied them into the file.
    await until(
      () => statSync(file).size > 4 * PAGE_BYTES,
      'a background checkpoint to copy the rows into the database file',
    );
    await store.close();
  });

  it('gives checkpoints back to SQLite when the worker is gone, and says so', async () => {
    const file = join(directory, 'worker-gone.db');
    const errors: Error[] = [];
    const store = new SqliteStore(file, { onCheckpointError: (error) => errors.push(error) });
    // Reaching in, as a crash would: the store keeps its checkpointer private.
    const { checkpointer } = store as unknown as { checkpointer: { worker: Worker } };
    await checkpointer.worker.terminate();
    await until(() => errors.length > 0, 'the store to hear that its worker is gone');
    assert.match(errors[0]?.message ?? '', /checkpoint worker stopped/);
    await assert.rejects(store.checkpoint(), /closed/);

    for (let index = 0; index < 1500; index += 1)
      await store.insertTransaction(transactionFixture().record);
    // SQLite's own checkpoint ran at 1,000 frames and the WAL started over, so its file stayed
    // near that size instead of growing with every commit.
    assert.ok(
      statSync(`${file}-wal`).size < 1.2 * DEFAULT_AUTOCHECKPOINT_FRAMES * PAGE_BYTES,
      'the WAL kept growing without a checkpointer',
    );
    await store.close();
  });

  it('refuses to checkpoint an in-memory database, which has no WAL', async () => {
    const store = new SqliteStore(':memory:');
    await assert.rejects(store.checkpoint(), /no WAL/);
    await store.close();
  });
});
