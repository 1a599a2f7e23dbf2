import { EventEmitter } from 'node:events';
import type Pg from 'pg';
import type { Notification, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { importOptionalPeer } from '../packaging/optional-peer.js';
import type { ChangeListener, Store, StoreReadiness } from './store.js';
import type {
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';
import { isConnectionFailure, postgresFailure } from './postgres-failure.js';
import { hearLossWhileCheckedOut } from './postgres-checkout.js';
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

// pg (node-postgres) is an optional peer dependency: this module is the one place that needs it.
const { default: pg } = await importOptionalPeer<{ default: typeof Pg }>(
  'pg',
  'The PostgreSQL store (otp-login-qr/store/postgres)',
);

/** Which PostgreSQL: a URL the store connects to itself, or a pool of the application's. */
export type PostgresStoreConnection =
  | {
      /** `postgres://user:password@host:port/database` (libpq's parameters, `?sslmode=…`). */
      connectionString: string;
      pool?: never;
    }
  | {
      /**
       * The application's node-postgres pool. The store neither ends it nor listens to its
       * `error` event (that is its owner's to do, or an idle connection's error ends the
       * process); it holds one of its connections for as long as it is open, for the change
       * notifications (LISTEN), and gives it back, closed, when it closes: the pool needs a
       * `max` of 2 at least.
       */
      pool: Pool;
      connectionString?: never;
    };

export type PostgresStoreOptions = PostgresStoreConnection & {
  /**
   * The PostgreSQL schema that holds the store's tables, created if missing: several apps (or
   * tests) can share one database, each in a schema of its own. Lower-case letters, digits and
   * `_`, at most 55 characters. `otp_login_qr` by default.
   */
  schema?: string;
  /**
   * Hears connection errors (PostgreSQL down, restarting, refusing the login) of the connections
   * the store opens: the one that listens for changes, which it opens again by itself, and the
   * pool it makes from `connectionString`. Without it they are dropped, not printed.
   */
  onConnectionError?: (error: Error) => void;
};

const DEFAULT_SCHEMA = 'otp_login_qr';
/** So that `<schema>.changes`, the channel, stays within PostgreSQL's 63 bytes for a name. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,54}$/;
/** A transition that lost this many races in a row gives up (it never should: see `transition`). */
const MAX_ATTEMPTS = 100;
/** How long a connection from the store's own pool may take, so that a dead server fails fast. */
const CONNECT_TIMEOUT_MS = 10_000;
/** The listening connection, once lost, is tried again after this, doubling up to the maximum. */
const RELISTEN_FIRST_MS = 100;
const RELISTEN_MAX_MS = 2_000;
/**
 * How often the listening connection is asked whether it is alive (a connection whose network
 * went away without a word would otherwise look open for hours), and how long it may take to say.
 */
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
/**
 * After the listening connection comes back, every transaction that may still be waited on is
 * announced: those that expire after now minus this margin (for clocks that disagree).
 */
const ANNOUNCE_MARGIN_MS = 60_000;
/**
 * How long a transition waits at most for its own notification to come back (see `transition`):
 * it comes in a millisecond or so; the limit only matters if the listening connection died
 * without a word, which the heartbeat finds out.
 */
const ECHO_TIMEOUT_MS = 2_000;

/** A row as the store's queries read it: a record as JSON text, and its row's version. */
interface StoredRow extends QueryResultRow {
  /** Read where the query reads many rows. */
  key?: string;
  version: string;
  data: string;
}

/** The connection that listens, as one attempt to open it made it. */
interface Listener {
  client: PoolClient | undefined;
  /** Set once the connection is given up (lost, failed, or the store closed). */
  dropped: boolean;
}

/**
 * The store for what must last, shared by several Token Server instances: one PostgreSQL
 * database (node-postgres, 9.5 or later for `ON CONFLICT`; tested with the Debian's).
 *
 * - Tables `transactions`, `enrollments`, `devices`, `nonces` and `challenges` in a schema of
 *   their own, created if missing at the first use, in one transaction under an advisory lock (so
 *   that instances that start together do not race on the catalogue). Each row holds its record as
 *   JSON text (`data`), as this store wrote it, with the columns that queries need beside it
 *   (`version`, `expires_at`, a device's client and user). Text rather than JSONB: the store
 *   reads back exactly what it wrote, and checks it against its record's schema (records.ts),
 *   as the other stores do; anything else under a key is the store error `unreadable`.
 * - Every transition reads the row, applies the pure function from transitions.ts and writes the
 *   result with a compare-and-set, `UPDATE … WHERE key = $1 AND version = $2`, in one statement
 *   that also sends the change notification (`pg_notify`), so that the write and its
 *   announcement commit together. A refused write (another call changed the row meanwhile) reads
 *   again and applies again, which then usually says `already_handled`. Optimistic rather than
 *   `SELECT … FOR UPDATE` in a transaction: a transition costs two statements without BEGIN and
 *   COMMIT, holds no pooled connection and no row lock between them (a client that stalls
 *   between a locking read and its commit would hold back every other caller on that row),
 *   and does not depend on a session's state, so that a connection lost half way leaves
 *   nothing open. Of the 1,000 racing answers to a transaction, the losers each cost a read more.
 * - Redeeming an enrollment code and storing the device it enrolls is one statement (the
 *   compare-and-set of the enrollment in a `WITH`, the device's INSERT after it), hence one
 *   transaction: a device id that exists fails it whole, as `duplicate`, and uses no code.
 * - One connection per instance LISTENs on `<schema>.changes` and passes the keys from every
 *   instance (this one included) to the listeners; it is opened with the store. A write waits
 *   for its first LISTEN, so that a listener registered before the write hears of it, and
 *   resolves once its own notification (`<key>:<version>`) came back, so that a listener
 *   registered after it resolved does not. LISTEN needs a session of its own: PostgreSQL
 *   itself, or a pooler in session mode, not PgBouncer's transaction mode.
 * - When that connection is lost, the store opens it again (every 100 ms, then up to every 2 s),
 *   LISTENs again, tells the listeners of `onChangeFeedResumed` and then announces the key of
 *   every transaction that has not expired: a change made while nobody listened is announced
 *   that way, so every held wait reads its transaction again (and, finding it unchanged, waits
 *   on). Until then the store is not ready. A heartbeat on that connection (every 5 s) finds one
 *   that died without a word.
 * - A failed query is the store error of what it means (postgres-failure.ts): `duplicate`,
 *   `full`, `conflict` or `unavailable`.
 */
export class PostgresStore implements Store {
  private readonly pool: Pool;
  /** Whether `pool` is the store's own (from `connectionString`), which it ends. */
  private readonly ownsPool: boolean;
  private readonly schema: string;
  private readonly channel: string;
  private readonly sql: ReturnType<typeof statements>;
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly resumed = new EventEmitter().setMaxListeners(0);
  private readonly onConnectionError: (error: Error) => void;
  private closed = false;
  /** The tables, once created (or found); cleared after a failure, so that the next call tries again. */
  private tables: Promise<void> | undefined;
  private listener: Listener | undefined;
  private listenState: 'connecting' | 'listening' | 'down' = 'connecting';
  /** Why the listening connection is down, for readiness. */
  private listenProblem = 'The store is connecting to PostgreSQL.';
  /** Settles (never rejects) once the first attempt to LISTEN has succeeded or failed. */
  private readonly firstListen: Promise<void>;
  private readonly listeningNow = new EventEmitter().setMaxListeners(0);
  /** Whether changes may have gone unheard since the last LISTEN (or before the first). */
  private missedSome = false;
  private relistenDelay = RELISTEN_FIRST_MS;
  private relistenTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private heartbeating = false;
  /** Why the last query through the pool failed to reach PostgreSQL; undefined after a success. */
  private poolProblem: string | undefined;
  /** The last connection error reported, so that an outage is not reported every 2 s. */
  private lastReported: string | undefined;
  /**
   * Transitions of this instance waiting to hear their own notification, by `<key>:<version>`
   * (the payload of the notification; a version is written once, by the compare-and-set).
   */
  private readonly echoes = new Map<string, () => void>();

  constructor(options: PostgresStoreOptions) {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (!SCHEMA_NAME.test(schema)) {
      throw new TypeError(
        `The schema name ${JSON.stringify(schema)} is not one the PostgreSQL store takes: lower-case letters, digits and _, at most 55 characters, not starting with a digit.`,
      );
    }
    this.schema = schema;
    this.channel = `${schema}.changes`;
    this.sql = statements(schema);
    this.onConnectionError = options.onConnectionError ?? (() => undefined);
    if (options.pool === undefined) {
      this.pool = new pg.Pool({
        connectionString: options.connectionString,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        keepAlive: true,
      });
      this.ownsPool = true;
      // An idle connection that the server drops (a restart) is reported here, not thrown.
      this.pool.on('error', (error) => {
        this.report(error);
      });
    } else {
      this.pool = options.pool;
      this.ownsPool = false;
    }
    this.firstListen = this.listen();
    this.heartbeat = setInterval(() => {
      void this.beat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async insertTransaction(record: TransactionRecord): Promise<void> {
    await this.query(
      this.sql.insertTransaction,
      [record.key, record.version, record.expiresAt, JSON.stringify(record)],
      'insert a transaction',
    );
  }

  async getTransaction(key: string): Promise<TransactionRecord | undefined> {
    const { rows } = await this.query(this.sql.getTransaction, [key], 'read a transaction');
    return toTransaction(rows[0]);
  }

  /** One query for them all (`= ANY($1)`), in the order of `keys`. */
  async getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.query(this.sql.getTransactions, [keys], 'read transactions');
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => toTransaction(byKey.get(key)));
  }

  redeemTransaction(
    key: string,
    change: Parameters<Store['redeemTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(key, (record) => redeem(record, change));
  }

  answerTransaction(
    key: string,
    change: Parameters<Store['answerTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(key, (record) => answer(record, change));
  }

  provePresence(
    key: string,
    change: Parameters<Store['provePresence']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(key, (record) => provePresence(record, change));
  }

  async insertEnrollment(record: EnrollmentRecord): Promise<void> {
    await this.query(
      this.sql.insertEnrollment,
      [record.key, record.version, record.expiresAt, JSON.stringify(record)],
      'insert an enrollment',
    );
  }

  async getEnrollment(key: string): Promise<EnrollmentRecord | undefined> {
    const { rows } = await this.query(this.sql.getEnrollment, [key], 'read an enrollment');
    return toEnrollment(rows[0]);
  }

  async redeemEnrollment(
    key: string,
    change: Parameters<Store['redeemEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    const { device } = change;
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query(this.sql.getEnrollment, [key], 'read an enrollment');
      const row = rows[0];
      const current = toEnrollment(row);
      const result = redeemEnrollmentCode(current, change);
      if (!result.ok || row === undefined) return result;
      const { rowCount } = await this.query(
        this.sql.redeemEnrollment,
        [
          key,
          row.version,
          result.record.version,
          JSON.stringify(result.record),
          device.id,
          device.clientId,
          device.userId,
          device.createdAt,
          JSON.stringify(device),
          result.record.expiresAt,
        ],
        'link a device',
      );
      if (rowCount === 1) return result;
      checkAttempts(attempt, `enrollment ${key}`);
    }
  }

  /**
   * Reads the enrollment and its device, then writes both in one transaction, each with its
   * compare-and-set on the row's version: if either moved meanwhile (a confirmation that raced,
   * the device revoked), nothing is written and it reads again.
   */
  async confirmEnrollment(
    key: string,
    change: Parameters<Store['confirmEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query(this.sql.getEnrollment, [key], 'read an enrollment');
      const row = rows[0];
      const current = toEnrollment(row);
      const deviceId = current?.deviceId ?? null;
      const deviceRow =
        deviceId === null
          ? undefined
          : (await this.query(this.sql.getDevice, [deviceId], 'read a device')).rows[0];
      const device = toDevice(deviceRow);
      const result = confirmEnrollmentLink(current, device, change);
      if (!result.ok) return result;
      const { enrollment, device: next } = result.record;
      const written = await this.inTransaction('confirm a link', async (client) => {
        const enrollmentWrite = await client.query(this.sql.updateEnrollment, [
          key,
          row?.version,
          enrollment.version,
          JSON.stringify(enrollment),
          enrollment.expiresAt,
        ]);
        if (enrollmentWrite.rowCount !== 1) return false;
        // A device that was revoked already is left as it is (nothing un-revokes one).
        if (next === device) return true;
        const deviceWrite = await client.query(this.sql.updateDevice, [
          next.id,
          deviceRow?.version,
          JSON.stringify(next),
        ]);
        return deviceWrite.rowCount === 1;
      });
      if (written) return { ok: true, record: enrollment };
      checkAttempts(attempt, `enrollment ${key}`);
    }
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const { rows } = await this.query(this.sql.getDevice, [id], 'read a device');
    return toDevice(rows[0]);
  }

  async listDevices(clientId: string, userId: string): Promise<DeviceRecord[]> {
    const { rows } = await this.query(this.sql.listDevices, [clientId, userId], 'list devices');
    return rows.map((row) => storedDevice(row.data)).sort((a, b) => a.createdAt - b.createdAt);
  }

  async revokeDevice(id: string, now: number): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query(this.sql.getDevice, [id], 'read a device');
      const row = rows[0];
      const device = toDevice(row);
      if (row === undefined || device === undefined || device.revokedAt !== null) return false;
      const revoked: DeviceRecord = { ...device, revokedAt: now };
      const { rowCount } = await this.query(
        this.sql.updateDevice,
        [id, row.version, JSON.stringify(revoked)],
        'revoke a device',
      );
      if (rowCount === 1) return true;
      checkAttempts(attempt, `device ${id}`);
    }
  }

  async setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean> {
    // Compare-and-set on the device's version, as a revoke: a revoke in between wins.
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query(this.sql.getDevice, [id], 'read a device');
      const row = rows[0];
      const device = toDevice(row);
      if (row === undefined || device === undefined || device.revokedAt !== null) return false;
      const updated: DeviceRecord = { ...device, passkey };
      const { rowCount } = await this.query(
        this.sql.updateDevice,
        [id, row.version, JSON.stringify(updated)],
        'store a passkey',
      );
      if (rowCount === 1) return true;
      checkAttempts(attempt, `device ${id}`);
    }
  }

  async claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    const { rowCount } = await this.query(
      this.sql.claimNonce,
      [deviceId, nonce, expiresAt],
      'record a nonce',
    );
    return rowCount === 1;
  }

  async insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void> {
    await this.query(
      this.sql.insertChallenge,
      [scope, challengeHash, expiresAt],
      'keep a challenge',
    );
  }

  async takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean> {
    // One DELETE: of racing takes, one gets the row. An expired one goes too, unused.
    const { rows } = await this.query<{ expires_at: number }>(
      this.sql.takeChallenge,
      [scope, challengeHash],
      'use a challenge',
    );
    const taken = rows[0];
    return taken !== undefined && now < taken.expires_at;
  }

  onTransactionChange(listener: ChangeListener): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  /**
   * Calls `listener` each time the change feed is back after a gap (the listening connection was
   * lost, or could not be opened at first): changes made meanwhile were not heard, so every wait
   * must read again. The key of every transaction that has not expired is announced to the
   * listeners of changes right after, for those that do not listen for this.
   */
  onChangeFeedResumed(listener: () => void): () => void {
    this.resumed.on('resumed', listener);
    return () => this.resumed.off('resumed', listener);
  }

  /**
   * Resolves once this instance hears the changes of every instance (its tables exist and its
   * connection LISTENs), at once if it does now; waits through an outage for PostgreSQL to come
   * back. Resolves too when the store closes. The server awaits it before it serves, and a test
   * after `onTransactionChange`, where a change made elsewhere right afterwards must be heard.
   */
  listening(): Promise<void> {
    if (this.listenState === 'listening' || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.listeningNow.once('listening', resolve);
    });
  }

  /**
   * Not ready while the store is closed, its connection that listens for changes is down (being
   * opened again), or the last query through the pool could not reach PostgreSQL (tried again
   * every few seconds, so that the store turns ready again without traffic).
   */
  readiness(): StoreReadiness {
    if (this.closed) return { ready: false, reason: 'The PostgreSQL store is closed.' };
    if (this.listenState !== 'listening') return { ready: false, reason: this.listenProblem };
    if (this.poolProblem !== undefined) return { ready: false, reason: this.poolProblem };
    return { ready: true };
  }

  async purgeExpired(now: number): Promise<void> {
    await this.query(this.sql.purge, [now], 'purge');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.relistenTimer);
    this.changes.removeAllListeners();
    this.resumed.removeAllListeners();
    this.listeningNow.emit('listening');
    this.endEchoes();
    if (this.listener !== undefined) this.drop(this.listener);
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * Reads, applies `apply` and compare-and-sets, until the write succeeds or `apply` refuses.
   * A refused compare-and-set means another call changed the row and so made progress; the next
   * read sees that change (a finished transaction makes `apply` refuse), so the loop ends.
   *
   * A write resolves once this instance's listeners have heard of it, as with the stores that
   * announce in the process: it waits for its own notification to come back on the listening
   * connection (while there is one). Without that, a listener registered just after the call
   * resolved could still hear of it, as a change it never made.
   */
  private async transition(
    key: string,
    apply: (record: TransactionRecord | undefined) => TransitionResult<TransactionRecord>,
  ): Promise<TransitionResult<TransactionRecord>> {
    // A listener registered before this call must hear of its change.
    await this.firstListen;
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query(this.sql.getTransaction, [key], 'read a transaction');
      const row = rows[0];
      const current = toTransaction(row);
      const result = apply(current);
      if (!result.ok || row === undefined || isUnchanged(result, current)) return result;
      // Expected before the write is sent: the notification may come before the write's answer.
      const echo = this.expectEcho(`${key}:${result.record.version}`);
      let written = false;
      try {
        const { rowCount } = await this.query(
          this.sql.updateTransaction,
          [
            key,
            row.version,
            result.record.version,
            JSON.stringify(result.record),
            this.channel,
            result.record.expiresAt,
          ],
          'change a transaction',
        );
        written = rowCount === 1;
      } finally {
        if (!written) echo.cancel();
      }
      if (written) {
        await echo.heard;
        return result;
      }
      checkAttempts(attempt, `transaction ${key}`);
    }
  }

  /**
   * Resolves `heard` when the notification `payload` comes back on the listening connection, or
   * at once when there is none (the announcement after it comes back stands in for it), or after
   * ECHO_TIMEOUT_MS.
   */
  private expectEcho(payload: string): { heard: Promise<void>; cancel: () => void } {
    if (this.listenState !== 'listening')
      return { heard: Promise.resolve(), cancel: () => undefined };
    let finish = (): void => undefined;
    const heard = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        finish();
      }, ECHO_TIMEOUT_MS);
      finish = () => {
        clearTimeout(timer);
        if (this.echoes.get(payload) === finish) this.echoes.delete(payload);
        resolve();
      };
    });
    this.echoes.set(payload, finish);
    return { heard, cancel: finish };
  }

  /** Lets every transition that waits for its notification go on. */
  private endEchoes(): void {
    for (const finish of [...this.echoes.values()]) finish();
  }

  /**
   * Runs `work` in a transaction on a connection of the pool: committed if it returns true,
   * rolled back if it returns false (a compare-and-set that found its row moved) or fails.
   */
  private async inTransaction(
    what: string,
    work: (client: PoolClient) => Promise<boolean>,
  ): Promise<boolean> {
    if (this.closed) throw closedError();
    await this.ensureTables();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error, what);
    }
    const stopHearing = hearLossWhileCheckedOut(client);
    let failure: unknown;
    try {
      await client.query('BEGIN');
      const done = await work(client);
      await client.query(done ? 'COMMIT' : 'ROLLBACK');
      this.poolProblem = undefined;
      return done;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.failure(error, what);
    } finally {
      // A connection that failed is not given back to be used again (PostgreSQL rolls back
      // whatever it left open when it closes).
      stopHearing();
      client.release(failure instanceof Error ? failure : undefined);
    }
  }

  /** Runs one statement through the pool, once the tables exist; failures as the store's errors. */
  private async query<Row extends QueryResultRow = StoredRow>(
    text: string,
    values: unknown[],
    what: string,
  ): Promise<QueryResult<Row>> {
    if (this.closed) throw closedError();
    await this.ensureTables();
    try {
      const result = await this.pool.query<Row>(text, values);
      this.poolProblem = undefined;
      return result;
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  private failure(error: unknown, what: string): Error {
    if (this.closed) return closedError(error);
    if (isConnectionFailure(error)) {
      this.poolProblem = `PostgreSQL cannot be reached: ${error instanceof Error ? error.message : String(error)}`;
    }
    return postgresFailure(error, what);
  }

  private ensureTables(): Promise<void> {
    this.tables ??= this.createTables().catch((error: unknown) => {
      this.tables = undefined;
      throw this.failure(error, 'create the tables');
    });
    return this.tables;
  }

  /**
   * Creates the schema and the tables that are missing, in one transaction, under an advisory
   * lock on the schema's name: instances that start together on an empty database take turns,
   * and the second finds everything there (CREATE … IF NOT EXISTS alone can still fail on the
   * catalogue's unique index when two run at once).
   */
  private async createTables(): Promise<void> {
    const client = await this.pool.connect();
    const stopHearing = hearLossWhileCheckedOut(client);
    let failure: unknown;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `otp-login-qr:${this.schema}`,
      ]);
      const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        this.schema,
      ]);
      if (rowCount === 0) await client.query(`CREATE SCHEMA "${this.schema}"`);
      await client.query(this.sql.createTables);
      await client.query('COMMIT');
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed is not given back to be used again.
      stopHearing();
      client.release(failure instanceof Error ? failure : undefined);
    }
  }

  /**
   * Opens the connection that listens, LISTENs, and announces what may have changed unheard; on
   * any failure, gives the connection up and tries again later. Never rejects.
   */
  private async listen(): Promise<void> {
    const listener: Listener = { client: undefined, dropped: false };
    this.listener = listener;
    this.listenState = 'connecting';
    try {
      await this.ensureTables();
      const client = await this.pool.connect();
      if (!this.isCurrent(listener)) {
        // The store closed while the connection was being opened.
        client.release(true);
        return;
      }
      listener.client = client;
      const lost = (error?: Error): void => {
        this.lose(listener, error ?? new Error('The connection that listens for changes ended.'));
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message: Notification) => {
        this.heard(message);
      });
      // So that an operator can tell it in pg_stat_activity (cut at 63 bytes by PostgreSQL).
      await client.query(`SELECT set_config('application_name', $1, false)`, [
        `otp-login-qr changes ${this.schema}`,
      ]);
      await client.query(`LISTEN "${this.channel}"`);
      // After an attempt that failed or a connection lost (not when the first one succeeds), the
      // transactions that may have changed unheard: LISTEN first, then read, so that a change
      // is either heard, or committed before the read.
      const resumed = this.missedSome;
      let live: string[] = [];
      if (resumed && this.changes.listenerCount('change') > 0) {
        const { rows } = await client.query<{ key: string }>(this.sql.liveTransactionKeys, [
          Date.now() - ANNOUNCE_MARGIN_MS,
        ]);
        live = rows.map((row) => row.key);
      }
      if (!this.isCurrent(listener)) return;
      this.missedSome = false;
      this.listenState = 'listening';
      this.relistenDelay = RELISTEN_FIRST_MS;
      this.lastReported = undefined;
      this.poolProblem = undefined;
      this.listeningNow.emit('listening');
      if (resumed) {
        // Those who handle a gap first (a StatusWaiter wakes every wait, which leaves none for
        // the keys after it to wake twice), then every live transaction's key, for those who
        // only listen to changes.
        this.resumed.emit('resumed');
        for (const key of live) this.changes.emit('change', key);
      }
    } catch (error) {
      this.lose(listener, error);
    }
  }

  /** Whether `listener` is the store's connection that listens, and still in use. */
  private isCurrent(listener: Listener): boolean {
    return !this.closed && !listener.dropped && this.listener === listener;
  }

  /** A notification: its key to the listeners, then to the transition that waits for it. */
  private heard(message: Notification): void {
    const payload = message.payload;
    if (message.channel !== this.channel || payload === undefined) return;
    const colon = payload.lastIndexOf(':');
    this.changes.emit('change', colon === -1 ? payload : payload.slice(0, colon));
    this.echoes.get(payload)?.();
  }

  /** Gives up the listening connection `listener` (once) and tries again after a while. */
  private lose(listener: Listener, error: unknown): void {
    if (listener.dropped) return;
    this.drop(listener);
    // Notifications that were on their way are lost with it: the announcement stands in for them.
    this.endEchoes();
    if (this.closed) return;
    const cause = error instanceof Error ? error : new Error(String(error));
    this.listenState = 'down';
    this.missedSome = true;
    this.listenProblem = `The PostgreSQL connection that listens for changes is down: ${cause.message}`;
    this.report(cause);
    this.relistenTimer = setTimeout(() => {
      void this.listen();
    }, this.relistenDelay);
    this.relistenDelay = Math.min(this.relistenDelay * 2, RELISTEN_MAX_MS);
  }

  /** Closes the listening connection of `listener` and takes it out of the pool. */
  private drop(listener: Listener): void {
    if (listener.dropped) return;
    listener.dropped = true;
    // Destroyed rather than given back: it LISTENs, and it may be broken.
    listener.client?.release(true);
  }

  /**
   * Asks the listening connection whether it is alive, and gives it up if it does not answer in
   * time; tries the pool again while it could not reach PostgreSQL, so that readiness recovers.
   */
  private async beat(): Promise<void> {
    if (this.heartbeating || this.closed) return;
    this.heartbeating = true;
    try {
      const listener = this.listener;
      const client = listener?.client;
      if (this.listenState === 'listening' && listener !== undefined && client !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        const silent = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`PostgreSQL did not answer within ${HEARTBEAT_TIMEOUT_MS} ms.`));
          }, HEARTBEAT_TIMEOUT_MS);
        });
        try {
          await Promise.race([client.query('SELECT 1'), silent]);
        } catch (error) {
          this.lose(listener, error);
        } finally {
          clearTimeout(timer);
        }
      }
      if (this.poolProblem !== undefined) {
        try {
          await this.pool.query('SELECT 1');
          this.poolProblem = undefined;
        } catch {
          // Still unreachable: readiness says so already.
        }
      }
    } finally {
      this.heartbeating = false;
    }
  }

  /** Tells `onConnectionError`, once for each new kind of failure in a row. */
  private report(error: Error): void {
    if (error.message === this.lastReported) return;
    this.lastReported = error.message;
    this.onConnectionError(error);
  }
}

/** The SQL of a store whose tables are in `schema` (a name checked against SCHEMA_NAME). */
function statements(schema: string) {
  const table = (name: string): string => `"${schema}".${name}`;
  const transactions = table('transactions');
  const enrollments = table('enrollments');
  const devices = table('devices');
  const nonces = table('nonces');
  const challenges = table('challenges');
  return {
    // Times are epoch milliseconds as JavaScript has them: double precision holds each exactly.
    createTables: `
      CREATE TABLE IF NOT EXISTS ${transactions} (
        key text PRIMARY KEY, version bigint NOT NULL, expires_at double precision NOT NULL,
        data text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS transactions_by_expiry ON ${transactions} (expires_at);
      CREATE TABLE IF NOT EXISTS ${enrollments} (
        key text PRIMARY KEY, version bigint NOT NULL, expires_at double precision NOT NULL,
        data text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS enrollments_by_expiry ON ${enrollments} (expires_at);
      CREATE TABLE IF NOT EXISTS ${devices} (
        id text PRIMARY KEY, client_id text NOT NULL, user_id text NOT NULL,
        created_at double precision NOT NULL, version bigint NOT NULL, data text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS devices_by_user ON ${devices} (client_id, user_id);
      CREATE TABLE IF NOT EXISTS ${nonces} (
        device_id text NOT NULL, nonce text NOT NULL, expires_at double precision NOT NULL,
        PRIMARY KEY (device_id, nonce)
      );
      CREATE INDEX IF NOT EXISTS nonces_by_expiry ON ${nonces} (expires_at);
      CREATE TABLE IF NOT EXISTS ${challenges} (
        scope text NOT NULL, challenge text NOT NULL, expires_at double precision NOT NULL,
        PRIMARY KEY (scope, challenge)
      );
      CREATE INDEX IF NOT EXISTS challenges_by_expiry ON ${challenges} (expires_at);
    `,
    insertTransaction: `INSERT INTO ${transactions} (key, version, expires_at, data) VALUES ($1, $2, $3, $4)`,
    getTransaction: `SELECT version::text AS version, data FROM ${transactions} WHERE key = $1`,
    getTransactions: `SELECT key, version::text AS version, data FROM ${transactions} WHERE key = ANY($1::text[])`,
    // The compare-and-set, and its announcement (`<key>:<version>`): pg_notify runs only for the
    // row written, and the notification goes out when (and only if) the statement commits. A
    // transition may move `expires_at` (proof of presence): the purge's column moves with it.
    updateTransaction: `
      WITH changed AS (
        UPDATE ${transactions} SET version = $3, data = $4, expires_at = $6
        WHERE key = $1 AND version = $2
        RETURNING key
      )
      SELECT pg_notify($5, key || ':' || $3::text) FROM changed`,
    liveTransactionKeys: `SELECT key FROM ${transactions} WHERE expires_at > $1`,
    insertEnrollment: `INSERT INTO ${enrollments} (key, version, expires_at, data) VALUES ($1, $2, $3, $4)`,
    getEnrollment: `SELECT version::text AS version, data FROM ${enrollments} WHERE key = $1`,
    // One statement, so one transaction: the device is inserted only if the enrollment was
    // changed, and a device id that exists (a unique violation) undoes the enrollment's change.
    redeemEnrollment: `
      WITH redeemed AS (
        UPDATE ${enrollments} SET version = $3, data = $4, expires_at = $10
        WHERE key = $1 AND version = $2
        RETURNING key
      )
      INSERT INTO ${devices} (id, client_id, user_id, created_at, version, data)
      SELECT $5, $6, $7, $8, 1, $9 FROM redeemed`,
    updateEnrollment: `UPDATE ${enrollments} SET version = $3, data = $4, expires_at = $5 WHERE key = $1 AND version = $2`,
    getDevice: `SELECT version::text AS version, data FROM ${devices} WHERE id = $1`,
    listDevices: `SELECT version::text AS version, data FROM ${devices} WHERE client_id = $1 AND user_id = $2 ORDER BY created_at, id`,
    updateDevice: `UPDATE ${devices} SET version = version + 1, data = $3 WHERE id = $1 AND version = $2`,
    claimNonce: `INSERT INTO ${nonces} (device_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    insertChallenge: `INSERT INTO ${challenges} (scope, challenge, expires_at) VALUES ($1, $2, $3)`,
    takeChallenge: `DELETE FROM ${challenges} WHERE scope = $1 AND challenge = $2 RETURNING expires_at`,
    purge: `
      WITH purged_transactions AS (DELETE FROM ${transactions} WHERE expires_at <= $1),
        purged_enrollments AS (DELETE FROM ${enrollments} WHERE expires_at <= $1),
        purged_challenges AS (DELETE FROM ${challenges} WHERE expires_at <= $1)
      DELETE FROM ${nonces} WHERE expires_at <= $1`,
  };
}

// Rows hold records as this store wrote them, as JSON; each is checked as it is read back.
function toTransaction(row: StoredRow | undefined): TransactionRecord | undefined {
  return row === undefined ? undefined : storedTransaction(row.data);
}

function toEnrollment(row: StoredRow | undefined): EnrollmentRecord | undefined {
  return row === undefined ? undefined : storedEnrollment(row.data);
}

function toDevice(row: StoredRow | undefined): DeviceRecord | undefined {
  return row === undefined ? undefined : storedDevice(row.data);
}

function closedError(cause?: unknown): StoreError {
  return new StoreError('closed', 'The PostgreSQL store is closed.', { cause });
}

function checkAttempts(attempt: number, what: string): void {
  if (attempt >= MAX_ATTEMPTS) {
    throw new StoreError(
      'conflict',
      `Gave up changing ${what} after ${attempt} conflicting writes.`,
    );
  }
}
