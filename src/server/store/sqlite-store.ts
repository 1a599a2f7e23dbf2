import { EventEmitter } from 'node:events';
import { statfsSync, statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { importOptionalPeer } from '../packaging/optional-peer.js';
import type { ChangeListener, Store, StoreReadiness } from './store.js';
import type {
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';
import { SqliteCheckpointer, type CheckpointResult } from './sqlite-checkpointer.js';
import { openDatabaseFile, plainOpenError } from './sqlite-open.js';
import { StoreError } from './store-error.js';
import { storedDevice, storedEnrollment, storedTransaction } from './stored-records.js';
import {
  answer,
  confirmEnrollmentLink,
  isUnchanged,
  provePresence,
  redeem,
  redeemEnrollmentCode,
} from './transitions.js';

// better-sqlite3 is an optional peer dependency: this module is the one place that needs it.
const { default: Database } = await importOptionalPeer<{ default: typeof BetterSqlite3 }>(
  'better-sqlite3',
  'The SQLite store (otp-login-qr/store/sqlite)',
);

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transactions (
    key TEXT PRIMARY KEY, version INTEGER NOT NULL, expires_at INTEGER NOT NULL, data TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS enrollments (
    key TEXT PRIMARY KEY, version INTEGER NOT NULL, expires_at INTEGER NOT NULL, data TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS devices_by_user ON devices (client_id, user_id);
  CREATE TABLE IF NOT EXISTS nonces (
    device_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS challenges (
    scope TEXT NOT NULL, challenge TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (scope, challenge)
  ) STRICT, WITHOUT ROWID;
`;

interface DataRow {
  data: string;
}

export interface SqliteStoreOptions {
  /**
   * Create the database file when it does not exist (default: true). The Token Server's runner
   * passes false unless told that this is a first start, so that a database that went missing is
   * reported, not replaced by an empty one.
   */
  create?: boolean;
  /** Told when a background checkpoint fails (it is tried again); defaults to a process warning. */
  onCheckpointError?: (error: Error) => void;
}

/**
 * Free space under which the store reports itself not ready: a checkpoint and the WAL need room,
 * and a disk that fills up fails every call that writes (each phone call writes its nonce).
 */
export const SQLITE_MIN_FREE_BYTES = 16 * 1024 * 1024;

/** How often a call of the store looks whether its file is still at its path. */
const FILE_CHECK_INTERVAL_MS = 1_000;

/**
 * WAL frames (4 KiB pages) after which the server's own thread checkpoints after all: a safety
 * net for when the background checkpoints cannot keep up or are never able to finish.
 */
const WRITER_CHECKPOINT_FRAMES = 16_000;

/**
 * The default store: one SQLite file (better-sqlite3) in WAL mode. Every commit is in the file
 * before the call returns, so a crash of the server (even kill -9) loses nothing that a caller
 * was told had happened. Transitions run in IMMEDIATE transactions, so that two processes on one
 * file cannot both win a race. Checkpoints (copying the WAL into the file, with its disk syncs)
 * run on a worker thread: see SqliteCheckpointer. Wake-ups of waits stay inside this process: to
 * run several instances, use the Redis store.
 */
export class SqliteStore implements Store {
  private readonly db: BetterSqlite3.Database;
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly statements;
  private readonly checkpointer: SqliteCheckpointer | undefined;
  /** The file that was opened (device and inode), to notice it being removed or replaced. */
  private readonly file:
    { readonly path: string; readonly dev: number; readonly ino: number } | undefined;
  private fileCheckedAt = 0;
  private fileProblem: string | undefined;
  /** Made once: better-sqlite3 builds a new wrapper for every db.transaction() call. */
  private readonly transition: BetterSqlite3.Transaction<
    (
      key: string,
      apply: (record: TransactionRecord | undefined) => TransitionResult<TransactionRecord>,
    ) => { result: TransitionResult<TransactionRecord>; changed: boolean }
  >;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.db = openDatabaseFile(Database, path, options.create ?? true);
    try {
      // NORMAL in WAL mode survives a crash of the process; only a power cut may lose the last commits.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      this.db.close();
      throw plainOpenError(path, error);
    }
    if (path !== ':memory:') {
      const { dev, ino } = statSync(path);
      this.file = { path, dev, ino };
      this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_FRAMES}`);
      // After a checkpoint lets the WAL start over, its file is cut back to this size.
      this.db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
      this.checkpointer = new SqliteCheckpointer(
        path,
        options.onCheckpointError ??
          ((error) => {
            process.emitWarning(error);
          }),
        () => {
          // Without the worker, SQLite's own checkpoints (its default size) come back.
          if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
        },
      );
    }
    this.statements = {
      insertTransaction: this.db.prepare(
        'INSERT INTO transactions (key, version, expires_at, data) VALUES (?, ?, ?, ?)',
      ),
      getTransaction: this.db.prepare<[string], DataRow>(
        'SELECT data FROM transactions WHERE key = ?',
      ),
      // A transition may move `expires_at` (proof of presence gives the browser its own time):
      // the column that the purge reads moves with the record.
      updateTransaction: this.db.prepare(
        'UPDATE transactions SET version = ?, expires_at = ?, data = ? WHERE key = ? AND version = ?',
      ),
      insertEnrollment: this.db.prepare(
        'INSERT INTO enrollments (key, version, expires_at, data) VALUES (?, ?, ?, ?)',
      ),
      getEnrollment: this.db.prepare<[string], DataRow>(
        'SELECT data FROM enrollments WHERE key = ?',
      ),
      updateEnrollment: this.db.prepare(
        'UPDATE enrollments SET version = ?, expires_at = ?, data = ? WHERE key = ? AND version = ?',
      ),
      insertDevice: this.db.prepare(
        'INSERT INTO devices (id, client_id, user_id, data) VALUES (?, ?, ?, ?)',
      ),
      getDevice: this.db.prepare<[string], DataRow>('SELECT data FROM devices WHERE id = ?'),
      listDevices: this.db.prepare<[string, string], DataRow>(
        'SELECT data FROM devices WHERE client_id = ? AND user_id = ?',
      ),
      updateDevice: this.db.prepare('UPDATE devices SET data = ? WHERE id = ?'),
      claimNonce: this.db.prepare(
        'INSERT OR IGNORE INTO nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)',
      ),
      purgeTransactions: this.db.prepare('DELETE FROM transactions WHERE expires_at <= ?'),
      purgeEnrollments: this.db.prepare('DELETE FROM enrollments WHERE expires_at <= ?'),
      purgeNonces: this.db.prepare('DELETE FROM nonces WHERE expires_at <= ?'),
      insertChallenge: this.db.prepare(
        'INSERT INTO challenges (scope, challenge, expires_at) VALUES (?, ?, ?)',
      ),
      // One statement: of racing takes, one deletes the row. An expired one goes too.
      takeChallenge: this.db.prepare<[string, string], { expires_at: number }>(
        'DELETE FROM challenges WHERE scope = ? AND challenge = ? RETURNING expires_at',
      ),
      purgeChallenges: this.db.prepare('DELETE FROM challenges WHERE expires_at <= ?'),
    };
    this.transition = this.db.transaction((key, apply) => {
      const current = this.readTransaction(key);
      const result = apply(current);
      if (!result.ok || current === undefined || isUnchanged(result, current)) {
        return { result, changed: false };
      }
      const { changes } = this.statements.updateTransaction.run(
        result.record.version,
        result.record.expiresAt,
        JSON.stringify(result.record),
        key,
        current.version,
      );
      // IMMEDIATE holds the write lock from the read on, so the row cannot have moved; if it
      // did, refuse rather than report a change that was not written.
      if (changes !== 1)
        throw new StoreError('conflict', 'The transaction changed during a transition.');
      return { result, changed: true };
    });
  }

  insertTransaction(record: TransactionRecord): Promise<void> {
    return this.run(() => {
      this.statements.insertTransaction.run(
        record.key,
        record.version,
        record.expiresAt,
        JSON.stringify(record),
      );
    });
  }

  getTransaction(key: string): Promise<TransactionRecord | undefined> {
    return this.run(() => this.readTransaction(key));
  }

  getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]> {
    // Point reads on the primary key cost microseconds each; one IN (…) query would not be faster.
    return this.run(() => keys.map((key) => this.readTransaction(key)));
  }

  redeemTransaction(
    key: string,
    change: Parameters<Store['redeemTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.run(() => this.transitionTransaction(key, (record) => redeem(record, change)));
  }

  answerTransaction(
    key: string,
    change: Parameters<Store['answerTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.run(() => this.transitionTransaction(key, (record) => answer(record, change)));
  }

  provePresence(
    key: string,
    change: Parameters<Store['provePresence']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.run(() =>
      this.transitionTransaction(key, (record) => provePresence(record, change)),
    );
  }

  insertEnrollment(record: EnrollmentRecord): Promise<void> {
    return this.run(() => {
      this.statements.insertEnrollment.run(
        record.key,
        record.version,
        record.expiresAt,
        JSON.stringify(record),
      );
    });
  }

  getEnrollment(key: string): Promise<EnrollmentRecord | undefined> {
    return this.run(() => toEnrollment(this.statements.getEnrollment.get(key)));
  }

  redeemEnrollment(
    key: string,
    change: Parameters<Store['redeemEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    const transition = this.db.transaction(() => {
      const current = toEnrollment(this.statements.getEnrollment.get(key));
      const result = redeemEnrollmentCode(current, change);
      if (!result.ok || current === undefined) return result;
      this.updateEnrollment(key, current.version, result.record);
      const { device } = change;
      this.statements.insertDevice.run(
        device.id,
        device.clientId,
        device.userId,
        JSON.stringify(device),
      );
      return result;
    });
    return this.run(() => transition.immediate());
  }

  confirmEnrollment(
    key: string,
    change: Parameters<Store['confirmEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    // IMMEDIATE: the enrollment and its device are read and written under one write lock.
    const transition = this.db.transaction((): TransitionResult<EnrollmentRecord> => {
      const current = toEnrollment(this.statements.getEnrollment.get(key));
      const deviceId = current?.deviceId ?? null;
      const device =
        deviceId === null ? undefined : toDevice(this.statements.getDevice.get(deviceId));
      const result = confirmEnrollmentLink(current, device, change);
      if (!result.ok) return result;
      // A transition that succeeded had an enrollment to change (else: no row, a conflict).
      this.updateEnrollment(key, current?.version ?? 0, result.record.enrollment);
      if (result.record.device !== device) {
        const written = result.record.device;
        this.statements.updateDevice.run(JSON.stringify(written), written.id);
      }
      return { ok: true, record: result.record.enrollment };
    });
    return this.run(() => transition.immediate());
  }

  getDevice(id: string): Promise<DeviceRecord | undefined> {
    return this.run(() => toDevice(this.statements.getDevice.get(id)));
  }

  listDevices(clientId: string, userId: string): Promise<DeviceRecord[]> {
    return this.run(() =>
      this.statements.listDevices
        .all(clientId, userId)
        .map((row) => storedDevice(row.data))
        .sort((a, b) => a.createdAt - b.createdAt),
    );
  }

  revokeDevice(id: string, now: number): Promise<boolean> {
    const revoke = this.db.transaction(() => {
      const device = toDevice(this.statements.getDevice.get(id));
      if (device === undefined || device.revokedAt !== null) return false;
      this.statements.updateDevice.run(JSON.stringify({ ...device, revokedAt: now }), id);
      return true;
    });
    return this.run(() => revoke.immediate());
  }

  setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean> {
    // IMMEDIATE, as a revoke: of the two, the later one sees what the first wrote.
    const update = this.db.transaction(() => {
      const device = toDevice(this.statements.getDevice.get(id));
      if (device === undefined || device.revokedAt !== null) return false;
      this.statements.updateDevice.run(JSON.stringify({ ...device, passkey }), id);
      return true;
    });
    return this.run(() => update.immediate());
  }

  claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    return this.run(() => this.statements.claimNonce.run(deviceId, nonce, expiresAt).changes === 1);
  }

  insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void> {
    return this.run(() => {
      this.statements.insertChallenge.run(scope, challengeHash, expiresAt);
    });
  }

  takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean> {
    return this.run(() => {
      const taken = this.statements.takeChallenge.get(scope, challengeHash);
      return taken !== undefined && now < taken.expires_at;
    });
  }

  onTransactionChange(listener: ChangeListener): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  purgeExpired(now: number): Promise<void> {
    return this.run(() => {
      this.statements.purgeTransactions.run(now);
      this.statements.purgeEnrollments.run(now);
      this.statements.purgeNonces.run(now);
      this.statements.purgeChallenges.run(now);
    });
  }

  /** Copies the WAL into the database file now, on the checkpoint thread. */
  checkpoint(): Promise<CheckpointResult> {
    if (this.checkpointer === undefined)
      return Promise.reject(new TypeError('An in-memory database has no WAL to checkpoint.'));
    return this.checkpointer.checkpoint();
  }

  async close(): Promise<void> {
    // The checkpoint connection closes first, so that this one, the last, checkpoints everything
    // and removes the WAL file as it closes.
    await this.checkpointer?.close();
    this.changes.removeAllListeners();
    try {
      this.db.close();
    } catch (error) {
      throw sqliteFailure(error);
    }
  }

  /** Writes an enrollment that a transition changed, inside the caller's IMMEDIATE transaction. */
  private updateEnrollment(key: string, readVersion: number, next: EnrollmentRecord): void {
    const { changes } = this.statements.updateEnrollment.run(
      next.version,
      next.expiresAt,
      JSON.stringify(next),
      key,
      readVersion,
    );
    // The write lock is held from the read on, so the row cannot have moved.
    if (changes !== 1)
      throw new StoreError('conflict', 'The enrollment changed during a transition.');
  }

  private readTransaction(key: string): TransactionRecord | undefined {
    return toTransaction(this.statements.getTransaction.get(key));
  }

  private transitionTransaction(
    key: string,
    apply: (record: TransactionRecord | undefined) => TransitionResult<TransactionRecord>,
  ): TransitionResult<TransactionRecord> {
    const { result, changed } = this.transition.immediate(key, apply);
    if (changed) this.changes.emit('change', key);
    return result;
  }

  /**
   * Not ready when the database file is no longer the one that was opened (removed, moved or
   * replaced: what is written now would be gone at the next start) or its disk has less than
   * {@link SQLITE_MIN_FREE_BYTES} free.
   */
  readiness(): StoreReadiness {
    if (!this.db.open) return { ready: false, reason: 'The SQLite store is closed.' };
    if (this.file === undefined) return { ready: true };
    const gone = this.fileGone(true);
    if (gone !== undefined) return { ready: false, reason: gone };
    const { path } = this.file;
    const disk = statfsSync(path);
    const free = disk.bavail * disk.bsize;
    if (free < SQLITE_MIN_FREE_BYTES) {
      return {
        ready: false,
        reason: `The disk of ${path} is (nearly) full: ${free} bytes free, fewer than ${SQLITE_MIN_FREE_BYTES}.`,
      };
    }
    return { ready: true };
  }

  /**
   * Why the opened file is no longer the database at its path (removed, moved or replaced), or
   * undefined. Looked at on the disk at most once a second (every call of the store asks), or
   * now with `fresh`.
   */
  private fileGone(fresh = false): string | undefined {
    if (this.file === undefined) return undefined;
    const now = Date.now();
    if (!fresh && now - this.fileCheckedAt < FILE_CHECK_INTERVAL_MS) return this.fileProblem;
    this.fileCheckedAt = now;
    const { path, dev, ino } = this.file;
    let found;
    try {
      found = statSync(path);
    } catch {
      this.fileProblem = `The database file ${path} was removed or moved while the server ran: what it wrote since is lost when it stops, so it writes nothing more. Put the file back (or restore a backup) and restart.`;
      return this.fileProblem;
    }
    this.fileProblem =
      found.dev !== dev || found.ino !== ino
        ? `The database file ${path} was replaced by another file while the server ran. Restart the server to use the new file.`
        : undefined;
    return this.fileProblem;
  }

  /**
   * better-sqlite3 is synchronous; the Store interface is not, so errors become rejections, and
   * SQLite's errors the store's own.
   */
  private run<T>(work: () => T): Promise<T> {
    // Writing on in a file that is no longer at its path would lose it all at the next start.
    const gone = this.fileGone();
    if (gone !== undefined) return Promise.reject(new StoreError('unavailable', gone));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(this.db.open ? sqliteFailure(error) : closed(error));
    }
  }
}

/**
 * What a SQLite error means for the store: a key that exists is `duplicate`, a full disk `full`,
 * any other of SQLite's (busy beyond the timeout, I/O, a damaged or read-only file) `unavailable`.
 * An error that is not SQLite's (a bug) is left as it is.
 */
function sqliteFailure(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const code = (error as { code?: unknown }).code;
  if (error instanceof StoreError || typeof code !== 'string' || !code.startsWith('SQLITE_'))
    return error;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
    return new StoreError('duplicate', 'A record with this key exists.', { cause: error });
  if (code === 'SQLITE_FULL')
    return new StoreError('full', 'The disk of the SQLite database is full.', { cause: error });
  return new StoreError('unavailable', `SQLite failed (${code}).`, { cause: error });
}

function closed(cause: unknown): StoreError {
  return new StoreError('closed', 'The SQLite store is closed.', { cause });
}

// Rows hold records as this store wrote them, as JSON; each is checked as it is read back.
function toTransaction(row: DataRow | undefined): TransactionRecord | undefined {
  return row === undefined ? undefined : storedTransaction(row.data);
}

function toEnrollment(row: DataRow | undefined): EnrollmentRecord | undefined {
  return row === undefined ? undefined : storedEnrollment(row.data);
}

function toDevice(row: DataRow | undefined): DeviceRecord | undefined {
  return row === undefined ? undefined : storedDevice(row.data);
}
