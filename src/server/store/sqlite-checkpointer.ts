import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { StoreError } from './store-error.js';

/** How often the WAL is checkpointed, when there is anything to copy. */
export const CHECKPOINT_INTERVAL_MS = 500;

/** What one checkpoint did (SQLite's `PRAGMA wal_checkpoint` row). */
export interface CheckpointResult {
  /** 1 when a reader or writer kept the checkpoint from finishing; it is tried again later. */
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Frames of it now copied into the database file. */
  checkpointed: number;
}

/*
 * The worker's whole program. It is handed over as text (`eval`) rather than as a file so that
 * it runs the same from src/ under tsx and from the compiled package; it loads better-sqlite3 from
 * the path this module resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, row });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

type WorkerReply =
  | { ok: true; row: CheckpointResult }
  | {
      ok: false;
      message: string;
    };

/**
 * Copies the SQLite WAL into the database file on a thread of its own.
 *
 * SQLite's automatic checkpoint runs inside the commit that fills the WAL, on the writer's
 * thread: here that is the server's only thread, and a checkpoint syncs two files to disk, so
 * every request waited tens of milliseconds now and then (under the load bench, a quarter of
 * the throughput). The store turns the automatic checkpoint off (its `wal_autocheckpoint` stays
 * as a far-off safety net) and this runs a PASSIVE checkpoint from a second connection, which
 * never blocks the writer, every CHECKPOINT_INTERVAL_MS. Durability is unchanged: commits are in
 * the WAL either way, and a crash of the process loses none of them.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout;
  private pending: Array<{
    resolve: (result: CheckpointResult) => void;
    reject: (error: Error) => void;
  }> = [];
  private closed = false;

  /**
   * @param onError told of a failed checkpoint (the next one is tried as usual)
   * @param onStopped told once if the worker is gone for good (it crashed or was killed), so that
   *   the store can give checkpoints back to SQLite's own, on the writer's thread
   */
  constructor(
    path: string,
    private readonly onError: (error: Error) => void,
    private readonly onStopped: () => void,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path } });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.shift();
      if (this.pending.length === 0 && !this.closed) this.worker.unref();
      if (reply.ok) waiting?.resolve(reply.row);
      else
        waiting?.reject(
          new StoreError('unavailable', `SQLite checkpoint failed: ${reply.message}`),
        );
    });
    this.worker.on('error', (cause) => {
      const error = new StoreError('unavailable', 'The SQLite checkpoint worker failed.', {
        cause,
      });
      this.failPending(error);
      this.onError(error);
    });
    this.worker.on('exit', () => {
      if (this.closed) return;
      this.closed = true;
      clearInterval(this.timer);
      const error = new StoreError(
        'unavailable',
        'The SQLite checkpoint worker stopped; SQLite checkpoints on its own.',
      );
      this.failPending(error);
      this.onError(error);
      this.onStopped();
    });
    this.timer = setInterval(() => {
      // One at a time: a slow disk makes them queue otherwise.
      if (this.pending.length === 0) this.checkpoint().catch(this.onError);
    }, CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Checkpoints now; resolves when the WAL's frames so far are in the database file. */
  checkpoint(): Promise<CheckpointResult> {
    if (this.closed) return Promise.reject(new StoreError('closed', 'The checkpointer is closed.'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      // A checkpoint under way keeps the process alive; an idle worker does not.
      this.worker.ref();
      this.worker.postMessage('checkpoint');
    });
  }

  /** Stops the timer, lets a checkpoint under way finish and closes the worker's connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const exited = new Promise<void>((resolve) => {
      this.worker.once('exit', () => {
        resolve();
      });
    });
    // Held open until the worker has closed its connection, even when nothing else is left to do.
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
    this.failPending(new StoreError('closed', 'The checkpointer is closed.'));
  }

  private failPending(error: Error): void {
    for (const waiting of this.pending.splice(0)) waiting.reject(error);
  }
}
