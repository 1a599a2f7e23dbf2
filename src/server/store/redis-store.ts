import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type * as IoRedis from 'ioredis';
import type { Redis as RedisClient } from 'ioredis';
import { importOptionalPeer } from '../packaging/optional-peer.js';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisPersistenceSettings } from './redis-durability.js';
import type {
  ChangeListener,
  RateCounterOptions,
  RateCounters,
  Store,
  StoreReadiness,
} from './store.js';
import type {
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';
import { redisFailure } from './redis-failure.js';
import { settledWithin } from './settled-within.js';
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

/** Which Redis: a URL the store connects to itself, or a client of the application's. */
export type RedisStoreConnection =
  | {
      /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS. */
      url: string;
      redis?: never;
    }
  | {
      /**
       * The application's ioredis client (standalone or a primary, not Cluster). The store neither
       * connects nor closes it, as the kit's RedisLoginStore does with the website's client; it
       * opens one connection of its own (a duplicate, for change notifications) and closes that.
       */
      redis: RedisClient;
      url?: never;
    };

export type RedisStoreOptions = RedisStoreConnection & {
  /** Put before every key and the change channel, so that several apps can share one Redis. */
  keyPrefix?: string;
  /**
   * How long transactions, enrollments and nonces stay in Redis after they expire, so that a
   * result can still be read (and a late wait told `expired`) for a while. Ten minutes by default.
   */
  graceMs?: number;
  /**
   * Hears connection errors (Redis down, auth refused) of the connections the store opens.
   * ioredis reconnects by itself; without a listener it would print each error to the console
   * instead of the server's log. A client given as `redis` is its owner's to listen to.
   */
  onConnectionError?: (error: Error) => void;
};

/**
 * How the store's own connection behaves when Redis goes away: a command fails at once instead of
 * waiting in a queue (a queued answer could be applied half a minute later, after its phone gave
 * up and tried again), or after 2 s without a reply; and the connection is tried again every
 * half second at most, so that the store serves again soon after Redis is back.
 */
const FAIL_FAST = {
  enableOfflineQueue: false,
  commandTimeout: 2_000,
  maxRetriesPerRequest: 0,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
} as const;

const DEFAULT_PREFIX = 'otp-login-qr:';
const DEFAULT_GRACE_MS = 10 * 60_000;
/** A transition that lost this many races in a row gives up (it never should: see `transition`). */
const MAX_ATTEMPTS = 100;
const PURGE_BATCH = 500;

// ioredis is an optional peer dependency: this module is the one place that needs it.
const { Redis } = await importOptionalPeer<typeof IoRedis>(
  'ioredis',
  'The Redis store (otp-login-qr/store/redis)',
);

/** A Lua script, run by its SHA-1 once Redis has it in its script cache. */
/** The kinds of keys that expire, each with an index by expiry for the purge. */
type ExpiringKind = 'tx' | 'enr' | 'nonce' | 'challenge';

class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/*
 * The scripts only store, compare and publish: the state machine stays in transitions.ts. Keys
 * that a script touches are all passed in KEYS.
 */

/** Inserts a record unless its key exists, with a TTL, and indexes it by expiry for the purge. */
const INSERT = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
return 1
`);

/**
 * Compare-and-set: replaces the value only if it is still, byte for byte, the JSON that the
 * caller read (which includes the record's `version`), and publishes the change in the same
 * atomic step. Returns 0 when somebody else changed (or deleted) the key meanwhile.
 *
 * It keeps the TTL, unless given a new one (ARGV[5], PXAT) with the record's new `expiresAt`
 * (ARGV[6]) for its expiry index (KEYS[2]): a transition that moves `expiresAt` (proof of
 * presence) moves the TTL and the purge's score with it.
 */
const COMPARE_AND_SET = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[5] == nil or ARGV[5] == '' then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[5])
  redis.call('ZADD', KEYS[2], ARGV[6], KEYS[1])
end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1
`);

/**
 * Takes a kept value once: deletes the key and its place in the expiry index (KEYS[2]), and
 * returns what it held (nil when there was none), in one atomic step.
 */
const TAKE = new LuaScript(`
local value = redis.call('GET', KEYS[1])
if value then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], KEYS[1])
end
return value
`);

/** What REDEEM_ENROLLMENT answers for a device id that is taken: the store's `duplicate`. */
const DEVICE_EXISTS = 'a device with this id exists';

/**
 * Compare-and-set on an enrollment, storing the device it enrolls in the same step. The
 * enrollment now waits for the website's confirmation: its TTL (ARGV[6], PXAT) and its score in
 * the expiry index (KEYS[4], ARGV[7]) move to that deadline.
 */
const REDEEM_ENROLLMENT = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ERR ${DEVICE_EXISTS}')
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[7], KEYS[1])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
return 1
`);

/**
 * Compare-and-set on an enrollment and its device together, both as the caller read them: the
 * website's word on a link. The device is written only if it changed (ARGV[4] not empty).
 */
const CONFIRM_ENROLLMENT = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4], 'KEEPTTL') end
return 1
`);

/**
 * The store for several Token Server instances behind a load balancer: one Redis (6.2 or later;
 * standalone or a primary, not Cluster) that every instance shares.
 *
 * - Transactions and enrollments are JSON strings under `<prefix>tx:<key>` and `<prefix>enr:<key>`,
 *   with a TTL at their `expiresAt` plus a grace period; nonces and passkey challenges are `SET NX`
 *   keys with a TTL too. Sorted sets by expiry (`<prefix>expiry:…`) let `purgeExpired` remove
 *   them earlier, by the caller's clock.
 * - Devices are JSON under `<prefix>dev:<id>` without a TTL, and `<prefix>devices:<client>:<user>`
 *   is a sorted set of a user's device ids, scored by `createdAt`.
 * - Every transition reads the record, applies the pure function from transitions.ts and writes
 *   the result with a compare-and-set script that refuses the write if the stored JSON changed
 *   since the read; on a refusal it reads again and applies the function again (which then
 *   usually says `already_handled`). Optimistic, lock-free and safe across processes: a script
 *   runs atomically in Redis, and needs no per-connection state, unlike WATCH.
 * - A successful transition publishes the transaction's key on `<prefix>changes` from inside the
 *   script; one subscriber connection per instance, opened with the first listener, passes the
 *   keys from every instance (this one included) to the listeners.
 * - Every value read back is checked against its record's schema (records.ts): anything else
 *   under a key of the store is the store error `unreadable`. A failed command is the store
 *   error of what it means (redis-failure.ts): `full`, `unreadable` or `unavailable`.
 */
export class RedisStore implements Store {
  private readonly redis: RedisClient;
  /** Whether `redis` is the store's own connection (from `url`), which it closes. */
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly graceMs: number;
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly resumed = new EventEmitter().setMaxListeners(0);
  private subscriber: RedisClient | undefined;
  /** Settles once the subscriber listens: writes wait for it, so that no change goes unheard. */
  private subscribing: Promise<void> | undefined;
  private closed = false;
  private readonly onConnectionError: (error: Error) => void;
  /** Whether the connection has been up once (see `connection`). */
  private everConnected: boolean;
  /** The first connection, which every command of a store just made waits for. */
  private firstConnection: Promise<void> | undefined;
  /** Set once the mark of markAndWatch is found gone. */
  private dataLost = false;
  private lookForMark: (() => Promise<void>) | undefined;

  constructor(options: RedisStoreOptions) {
    this.onConnectionError = options.onConnectionError ?? (() => undefined);
    if (options.redis === undefined) {
      this.redis = new Redis(options.url, FAIL_FAST);
      this.ownsClient = true;
      this.redis.on('error', this.onConnectionError);
    } else {
      this.redis = options.redis;
      this.ownsClient = false;
    }
    this.everConnected = this.redis.status === 'ready';
    this.redis.once('ready', () => {
      this.everConnected = true;
    });
    this.prefix = options.keyPrefix ?? DEFAULT_PREFIX;
    this.channel = `${this.prefix}changes`;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /**
   * Rate limits counted in this Redis, so that an address or a client gets its limit once across
   * all instances, not once per instance. rate-limiter-flexible counts with one Lua script a
   * request. While Redis is unreachable, each instance counts for itself (the insurance limiter)
   * rather than failing requests that the store might still serve once Redis is back.
   */
  readonly sharedRateCounters: RateCounters = (options: RateCounterOptions) => {
    const limit = { points: options.points, duration: options.durationSeconds };
    return new RateLimiterRedis({
      ...limit,
      storeClient: this.redis,
      keyPrefix: `${this.prefix}rate:${options.name}`,
      // Not connected: count in memory at once, instead of queueing the command until ioredis
      // gives up on it (tens of seconds) while the request waits.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(limit),
    });
  };

  async insertTransaction(record: TransactionRecord): Promise<void> {
    const inserted = await this.insert(this.transactionKey(record.key), 'tx', record);
    if (!inserted) throw new StoreError('duplicate', 'A transaction with this key exists.');
  }

  async getTransaction(key: string): Promise<TransactionRecord | undefined> {
    return parseTransaction(
      await this.call(() => this.redis.get(this.transactionKey(key)), 'read'),
    );
  }

  /** One MGET for them all: a command per key would cost a promise and its buffers each. */
  async getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.call(
      () => this.redis.mget(keys.map((key) => this.transactionKey(key))),
      'read',
    );
    return values.map(parseTransaction);
  }

  redeemTransaction(
    key: string,
    change: Parameters<Store['redeemTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(this.transactionKey(key), key, (record) => redeem(record, change));
  }

  answerTransaction(
    key: string,
    change: Parameters<Store['answerTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(this.transactionKey(key), key, (record) => answer(record, change));
  }

  provePresence(
    key: string,
    change: Parameters<Store['provePresence']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.transition(this.transactionKey(key), key, (record) =>
      provePresence(record, change),
    );
  }

  async insertEnrollment(record: EnrollmentRecord): Promise<void> {
    const inserted = await this.insert(this.enrollmentKey(record.key), 'enr', record);
    if (!inserted) throw new StoreError('duplicate', 'An enrollment with this key exists.');
  }

  async getEnrollment(key: string): Promise<EnrollmentRecord | undefined> {
    return parseEnrollment(await this.call(() => this.redis.get(this.enrollmentKey(key)), 'read'));
  }

  async redeemEnrollment(
    key: string,
    change: Parameters<Store['redeemEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    const redisKey = this.enrollmentKey(key);
    const { device } = change;
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.call(() => this.redis.get(redisKey), 'read');
      const result = redeemEnrollmentCode(parseEnrollment(stored), change);
      if (!result.ok || stored === null) return result;
      const written = await this.runScript(
        REDEEM_ENROLLMENT,
        [
          redisKey,
          this.deviceKey(device.id),
          this.userDevicesKey(device.clientId, device.userId),
          this.expiryIndexKey('enr'),
        ],
        [
          stored,
          JSON.stringify(result.record),
          JSON.stringify(device),
          device.createdAt,
          device.id,
          this.expireAt(result.record.expiresAt),
          result.record.expiresAt,
        ],
      );
      if (written === 1) return result;
      checkAttempts(attempt, redisKey);
    }
  }

  /** Reads the enrollment and its device, and writes both only if neither changed meanwhile. */
  async confirmEnrollment(
    key: string,
    change: Parameters<Store['confirmEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    const redisKey = this.enrollmentKey(key);
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.call(() => this.redis.get(redisKey), 'read');
      const current = parseEnrollment(stored);
      const deviceId = current?.deviceId ?? null;
      const deviceKey = deviceId === null ? undefined : this.deviceKey(deviceId);
      const storedDevice =
        deviceKey === undefined ? null : await this.call(() => this.redis.get(deviceKey), 'read');
      const device = parseDevice(storedDevice);
      const result = confirmEnrollmentLink(current, device, change);
      if (!result.ok) return result;
      if (stored === null || storedDevice === null || deviceKey === undefined) {
        // A transition that succeeded read both records; anything else is a bug, not a race.
        throw new StoreError('conflict', `The link of ${redisKey} changed under its confirmation.`);
      }
      const { enrollment, device: next } = result.record;
      const written = await this.runScript(
        CONFIRM_ENROLLMENT,
        [redisKey, deviceKey],
        [
          stored,
          JSON.stringify(enrollment),
          storedDevice,
          next === device ? '' : JSON.stringify(next),
        ],
      );
      if (written === 1) return { ok: true, record: enrollment };
      checkAttempts(attempt, redisKey);
    }
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    this.refuseIfDataLost();
    return parseDevice(await this.call(() => this.redis.get(this.deviceKey(id)), 'read'));
  }

  async listDevices(clientId: string, userId: string): Promise<DeviceRecord[]> {
    this.refuseIfDataLost();
    const ids = await this.call(
      () => this.redis.zrange(this.userDevicesKey(clientId, userId), '0', '-1'),
      'read',
    );
    if (ids.length === 0) return [];
    const values = await this.call(
      () => this.redis.mget(ids.map((id) => this.deviceKey(id))),
      'read',
    );
    return values
      .map((value) => parseDevice(value))
      .filter((device) => device !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async revokeDevice(id: string, now: number): Promise<boolean> {
    const redisKey = this.deviceKey(id);
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.call(() => this.redis.get(redisKey), 'read');
      const device = parseDevice(stored);
      if (stored === null || device === undefined || device.revokedAt !== null) return false;
      const revoked: DeviceRecord = { ...device, revokedAt: now };
      const written = await this.runScript(
        COMPARE_AND_SET,
        [redisKey],
        [stored, JSON.stringify(revoked), '', ''],
      );
      if (written === 1) return true;
      checkAttempts(attempt, redisKey);
    }
  }

  async setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean> {
    // Compare-and-set, as a revoke: a revoke in between wins.
    const redisKey = this.deviceKey(id);
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.call(() => this.redis.get(redisKey), 'read');
      const device = parseDevice(stored);
      if (stored === null || device === undefined || device.revokedAt !== null) return false;
      const updated: DeviceRecord = { ...device, passkey };
      const written = await this.runScript(
        COMPARE_AND_SET,
        [redisKey],
        [stored, JSON.stringify(updated), '', ''],
      );
      if (written === 1) return true;
      checkAttempts(attempt, redisKey);
    }
  }

  async claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    // The device id is encoded, so that the ':' after it separates it from the nonce for sure.
    const key = `${this.prefix}nonce:${encodeURIComponent(deviceId)}:${nonce}`;
    return this.insert(key, 'nonce', { expiresAt }, '1');
  }

  /** Kept under `<prefix>challenge:<scope>:<hash>`, holding its `expiresAt`, with a TTL. */
  async insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void> {
    const key = this.challengeKey(scope, challengeHash);
    const inserted = await this.insert(key, 'challenge', { expiresAt }, String(expiresAt));
    if (!inserted) throw new StoreError('duplicate', 'This challenge is kept already.');
  }

  async takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean> {
    const key = this.challengeKey(scope, challengeHash);
    const taken = await this.runScript(TAKE, [key, this.expiryIndexKey('challenge')], []);
    // Expiry is by the caller's clock, as for every record; Redis's TTL only cleans up.
    return typeof taken === 'string' && now < Number(taken);
  }

  onTransactionChange(listener: ChangeListener): () => void {
    this.changes.on('change', listener);
    this.subscribe();
    return () => this.changes.off('change', listener);
  }

  /**
   * Resolves once this instance's listeners hear the changes of every instance: call it after
   * `onTransactionChange` where a change made elsewhere right afterwards must not go unheard.
   */
  async listening(): Promise<void> {
    await this.subscribing;
  }

  /**
   * Calls `listener` each time the change feed is back after a gap (the subscription's connection
   * was lost): changes published meanwhile were not heard, so every wait must read again.
   */
  onChangeFeedResumed(listener: () => void): () => void {
    this.resumed.on('resumed', listener);
    return () => this.resumed.off('resumed', listener);
  }

  /**
   * Waits for the change subscription, if there are listeners, at most as long as a command may
   * take: a write must not be heard by nobody, and must not hang while Redis is away either.
   */
  private async untilSubscribed(): Promise<void> {
    if (this.subscribing === undefined) return;
    await settledWithin(
      this.subscribing,
      FAIL_FAST.commandTimeout,
      () => new StoreError('unavailable', 'Redis is not reachable: changes cannot be announced.'),
    );
  }

  /** Records the loss once, however many looks find it. */
  private markDataLost(onLost: () => void): void {
    if (this.dataLost) return;
    this.dataLost = true;
    onLost();
  }

  /** After a loss of data, no device reads as missing: the phone is told to try later instead. */
  private refuseIfDataLost(): void {
    if (this.dataLost) {
      throw new StoreError('unavailable', 'Redis lost its data; devices cannot be read.');
    }
  }

  /**
   * Whether this Redis is reachable now and still holds what it held (see {@link markAndWatch}).
   */
  readiness(): StoreReadiness {
    if (this.closed) return { ready: false, reason: 'The Redis store is closed.' };
    if (this.dataLost) {
      return {
        ready: false,
        reason:
          'Redis came back without the mark this server left in it: it lost its data (restarted ' +
          'without persistence, or flushed), linked phones included. Restore it, or restart the ' +
          'servers to start over empty.',
      };
    }
    if (this.redis.status !== 'ready') {
      return { ready: false, reason: `Redis is not connected (${this.redis.status}).` };
    }
    return { ready: true };
  }

  /** This Redis's persistence settings (CONFIG GET), null where Redis does not say. */
  async persistenceSettings(): Promise<RedisPersistenceSettings> {
    const read = async (name: string): Promise<string | null> => {
      try {
        const reply: unknown = await this.redis.config('GET', name);
        return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
      } catch {
        // Managed Redis services often refuse CONFIG.
        return null;
      }
    };
    return {
      appendonly: await read('appendonly'),
      appendfsync: await read('appendfsync'),
      'maxmemory-policy': await read('maxmemory-policy'),
    };
  }

  /**
   * Leaves a mark in Redis (`<prefix>installed`) and looks for it each time the connection comes
   * back and at each purge: a Redis found without it lost its data under the running server. From
   * then on the store is not ready and reads of devices fail with `unavailable`, rather than tell
   * every phone that it is not linked; `onLost` is called once. Resolves with whether the mark was
   * there already: false on the first start on this Redis, or after a loss that happened while no
   * server ran, which no server can tell apart.
   */
  async markAndWatch(onLost: () => void): Promise<boolean> {
    const key = `${this.prefix}installed`;
    const created = await this.call(
      () => this.redis.set(key, new Date().toISOString(), 'NX'),
      'write',
    );
    this.lookForMark = async () => {
      if (this.dataLost || this.closed) return;
      const present = await this.call(() => this.redis.exists(key), 'read');
      if (present === 0) this.markDataLost(onLost);
    };
    this.redis.on('ready', () => {
      this.lookForMark?.().catch(() => undefined);
    });
    return created === null;
  }

  /**
   * Resolves once the connection to Redis is up. Until then the shared rate limits count in this
   * process's memory (see sharedRateCounters); the server waits for this before it serves.
   */
  async connected(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      this.redis.once('ready', () => {
        resolve();
      });
    });
  }

  /**
   * The TTLs remove records by Redis's clock, `expiresAt` plus the grace period. This removes
   * them (and nonces) by the caller's clock, which may come earlier: `now` is the caller's time
   * minus the grace period that it chooses, as for the other stores.
   */
  async purgeExpired(now: number): Promise<void> {
    await this.lookForMark?.();
    for (const kind of ['tx', 'enr', 'nonce', 'challenge'] as const) {
      const index = this.expiryIndexKey(kind);
      for (;;) {
        const keys = await this.call(
          () => this.redis.zrangebyscore(index, '-inf', now, 'LIMIT', 0, PURGE_BATCH),
          'purge',
        );
        if (keys.length === 0) break;
        await this.call(
          () =>
            this.redis
              .multi()
              .unlink(...keys)
              .zrem(index, ...keys)
              .exec(),
          'purge',
        );
        if (keys.length < PURGE_BATCH) break;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.changes.removeAllListeners();
    // Only the connections the store opened: a client given to it stays its owner's.
    const connections = [this.ownsClient ? this.redis : undefined, this.subscriber].filter(
      (connection) => connection !== undefined,
    );
    await Promise.all(
      connections.map(async (connection) => {
        if (connection.status === 'end') return;
        try {
          await connection.quit();
        } catch {
          connection.disconnect();
        }
      }),
    );
  }

  /**
   * Reads, applies `apply` and compare-and-sets, until the write succeeds or `apply` refuses.
   * A failed compare-and-set means another call changed the record and so made progress; the
   * next read sees that change (a finished transaction makes `apply` refuse), so the loop ends.
   */
  private async transition(
    redisKey: string,
    key: string,
    apply: (record: TransactionRecord | undefined) => TransitionResult<TransactionRecord>,
  ): Promise<TransitionResult<TransactionRecord>> {
    // A listener registered before this call must hear of its change.
    await this.untilSubscribed();
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.call(() => this.redis.get(redisKey), 'read');
      const current = parseTransaction(stored);
      const result = apply(current);
      if (!result.ok || stored === null || isUnchanged(result, current)) return result;
      const { expiresAt } = result.record;
      const moved = expiresAt !== current?.expiresAt;
      const written = await this.runScript(
        COMPARE_AND_SET,
        [redisKey, this.expiryIndexKey('tx')],
        [
          stored,
          JSON.stringify(result.record),
          this.channel,
          key,
          moved ? this.expireAt(expiresAt) : '',
          expiresAt,
        ],
      );
      if (written === 1) return result;
      checkAttempts(attempt, redisKey);
    }
  }

  /** Sets `redisKey` unless it exists; true if it did not. */
  private async insert(
    redisKey: string,
    kind: ExpiringKind,
    record: { expiresAt: number },
    value = JSON.stringify(record),
  ): Promise<boolean> {
    const inserted = await this.runScript(
      INSERT,
      [redisKey, this.expiryIndexKey(kind)],
      [value, this.expireAt(record.expiresAt), record.expiresAt],
    );
    return inserted === 1;
  }

  /** When Redis is to drop a record that expires at `expiresAt` (PXAT): after the grace period. */
  private expireAt(expiresAt: number): number {
    // By the larger of the two clocks, so that a record whose time is already up (or an instance
    // whose clock runs behind Redis's) still gets its grace period. PXAT must be positive.
    return Math.ceil(Math.max(expiresAt, Date.now(), 0) + Math.max(this.graceMs, 1));
  }

  private subscribe(): void {
    if (this.subscriber !== undefined || this.closed) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', this.onConnectionError);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.changes.emit('change', message);
    });
    let state: 'pending' | 'subscribed' | 'failed' = 'pending';
    /** Whether the subscription was up once: when it comes back, changes may have been missed. */
    let everSubscribed = false;
    let firstSubscribed = (): void => undefined;
    // Settles with the first subscription (not with a failed attempt: the next one may succeed).
    this.subscribing = new Promise<void>((resolve) => {
      firstSubscribed = resolve;
    });
    const attempt = (): void => {
      state = 'pending';
      subscriber.subscribe(this.channel).then(
        () => {
          state = 'subscribed';
          firstSubscribed();
          if (everSubscribed) this.resumed.emit('resumed');
          everSubscribed = true;
        },
        () => {
          // Redis unreachable, or the store closed: tried again when the connection is back.
          state = 'failed';
        },
      );
    };
    // After a reconnect, subscribe again (ioredis would too, but says nothing when it is done),
    // and then tell the listeners that changes published meanwhile were not heard.
    subscriber.on('ready', () => {
      if (state !== 'pending' && !this.closed) attempt();
    });
    attempt();
  }

  private async runScript(
    script: LuaScript,
    keys: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    await this.connection();
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT'))
        throw this.failure(error, 'write');
      // The first run on this Redis (or after SCRIPT FLUSH or a restart): EVAL caches it.
      return this.call(
        () => this.redis.eval(script.source, keys.length, ...keys, ...args),
        'write',
      );
    }
  }

  /** A command's result, or its failure as the store's error. */
  private async call<T>(command: () => Promise<T>, what: string): Promise<T> {
    await this.connection();
    try {
      return await command();
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  /**
   * Before a command: a store just made waits for its first connection as long as a command may
   * take (callers need not wait for `connected()` first). Once it has been connected, a lost
   * connection fails each command at once (FAIL_FAST), and the caller answers 503.
   */
  private async connection(): Promise<void> {
    if (this.redis.status === 'ready' || this.everConnected || this.closed) return;
    this.firstConnection ??= this.connected();
    await settledWithin(
      this.firstConnection,
      FAIL_FAST.commandTimeout,
      () => new StoreError('unavailable', 'Redis is not reachable.'),
    );
  }

  private failure(error: unknown, what: string): StoreError {
    if (this.closed)
      return new StoreError('closed', 'The Redis store is closed.', { cause: error });
    if (error instanceof Error && error.message.includes(DEVICE_EXISTS))
      return new StoreError('duplicate', 'A device with this id exists.', { cause: error });
    return redisFailure(error, what);
  }

  private transactionKey(key: string): string {
    return `${this.prefix}tx:${key}`;
  }

  private enrollmentKey(key: string): string {
    return `${this.prefix}enr:${key}`;
  }

  private deviceKey(id: string): string {
    return `${this.prefix}dev:${id}`;
  }

  private userDevicesKey(clientId: string, userId: string): string {
    return `${this.prefix}devices:${encodeURIComponent(clientId)}:${encodeURIComponent(userId)}`;
  }

  private challengeKey(scope: string, challengeHash: string): string {
    // The scope is encoded, so that the ':' after it separates it from the hash for sure.
    return `${this.prefix}challenge:${encodeURIComponent(scope)}:${challengeHash}`;
  }

  private expiryIndexKey(kind: ExpiringKind): string {
    return `${this.prefix}expiry:${kind}`;
  }
}

// Values hold records as this store wrote them, as JSON; each is checked as it is read back.
function parseTransaction(value: string | null): TransactionRecord | undefined {
  return value === null ? undefined : storedTransaction(value);
}

function parseEnrollment(value: string | null): EnrollmentRecord | undefined {
  return value === null ? undefined : storedEnrollment(value);
}

function parseDevice(value: string | null): DeviceRecord | undefined {
  return value === null ? undefined : storedDevice(value);
}

function checkAttempts(attempt: number, redisKey: string): void {
  if (attempt >= MAX_ATTEMPTS) {
    throw new StoreError(
      'conflict',
      `Gave up changing ${redisKey} after ${attempt} conflicting writes.`,
    );
  }
}
