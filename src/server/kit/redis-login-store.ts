import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import * as v from 'valibot';
import { LOGIN_STATUSES } from '../../protocol/index.js';
import type { RateCounters } from '../security/rate-counters.js';
import { redisFailure } from '../store/redis-failure.js';
import { StoreError } from '../store/store-error.js';
import { readStoredJson } from '../store/stored-records.js';
import type { LoginRecord, LoginStore } from './login-store.js';

export interface RedisLoginStoreOptions {
  /**
   * The website's ioredis client (or cluster). The store neither connects nor closes it, so one
   * client can serve the website's sessions and its logins.
   */
  redis: Redis | Cluster;
  /**
   * Put before every key, so that logins stay apart from the website's other data. On a Redis
   * Cluster it must hold a hash tag (`{www}:otp-login:`): a login and the count of logins held
   * change in one step, so they must live in one slot.
   */
  keyPrefix?: string;
  /**
   * At most this many logins at a time, over all instances; a start beyond it is refused (503
   * busy), as the memory store refuses. Default 10 000.
   */
  maxEntries?: number;
  clock?: () => number;
}

/*
 * What a stored login must be to be used. The store is the website's own, but a record is what
 * decides who is logged in: one that another program wrote, or an older version of the kit,
 * fails loudly rather than being half read.
 */
const StoredLoginRecord = v.object({
  flow: v.picklist(['login', 'second_factor', 'enrollment']),
  transactionId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  bindingHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  expiresAt: v.pipe(v.number(), v.safeInteger()),
  status: v.picklist(LOGIN_STATUSES),
  userId: v.optional(v.string()),
  compareCode: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/))),
  triesLeft: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  confirmingUntil: v.optional(v.pipe(v.number(), v.finite())),
}) satisfies v.GenericSchema<unknown, LoginRecord>;

/*
 * The logins held are counted in a sorted set beside them (member: the login's id, score: its
 * forgetAt), changed in the same script as the login's key: a count that every instance shares,
 * and that no two instances can both pass at once. Entries past their time are dropped before
 * each count, as Redis drops the keys themselves.
 */

/**
 * KEYS: the login, the count. ARGV: id, value, forgetAt, now, maxEntries. 1 put, 0 full. The
 * login's SET is the first write: Redis checks `maxmemory` there (a script that wrote once may
 * write on), so a full Redis refuses it; the entries past their time are dropped after.
 */
const PUT = `
if redis.call('EXISTS', KEYS[1]) == 0
  and redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[4], '+inf') >= tonumber(ARGV[5]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
return 1`;

/** KEYS: the login, the count. ARGV: id, value, forgetAt. Only a login that is still kept. */
const REPLACE = `
if redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3], 'XX') then
  redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
end
return 1`;

/** KEYS: the login, the count. ARGV: id. The login's value, or nil; it is gone either way. */
const TAKE = `
local value = redis.call('GETDEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return value`;

/** KEYS: the login, the count. ARGV: id. */
const FORGET = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/**
 * A {@link LoginStore} in Redis, for a website that runs several instances: a browser's polls
 * may reach any of them. Each login is one key that Redis expires at its `forgetAt`; `take` is
 * GETDEL (Redis 6.2 and later), so of two instances taking the same accepted login at the same
 * moment exactly one gets it. The kit's rate limits are counted here too.
 *
 * Like the memory store, it holds at most `maxEntries` logins and refuses more (`full`: the kit
 * answers 503 busy) rather than evicting live ones, counted for all instances together. Redis
 * itself should refuse rather than evict too: the `noeviction` policy with a `maxmemory`, where a
 * full Redis refuses the write, which is also `full`.
 */
export class RedisLoginStore implements LoginStore {
  private readonly redis: Redis | Cluster;
  private readonly keyPrefix: string;
  private readonly maxEntries: number;
  /** The sorted set that counts the logins held; `#` is in no login id. */
  private readonly heldKey: string;
  private readonly clock: () => number;

  constructor(options: RedisLoginStoreOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'otp-login:login:';
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new TypeError('maxEntries must be a positive integer.');
    if (isCluster(options.redis) && !hasHashTag(this.keyPrefix))
      throw new TypeError(
        `On a Redis Cluster, keyPrefix must hold a hash tag, e.g. "{otp-login}:login:", so that a login and the count of logins are in one slot: ${this.keyPrefix}`,
      );
    this.heldKey = `${this.keyPrefix}#held`;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The kit's rate limits, counted in Redis for every instance. While Redis cannot be reached, each
   * instance counts for itself (the insurance limiter): requests are still limited, and logins
   * that Redis holds go on once it is back.
   */
  readonly sharedRateCounters: RateCounters = ({ name, points, durationSeconds }) =>
    new RateLimiterRedis({
      storeClient: this.redis,
      points,
      duration: durationSeconds,
      keyPrefix: `${this.keyPrefix}rate:${name}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    });

  async get(id: string): Promise<LoginRecord | undefined> {
    return this.parse(id, await this.call(this.redis.get(this.key(id)), 'read a login'));
  }

  async put(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    const now = this.clock();
    if (forgetAt <= now) {
      await this.call(this.script(FORGET, id), 'forget a login');
      return;
    }
    const put = await this.call(
      this.script(
        PUT,
        id,
        JSON.stringify(record),
        String(Math.ceil(forgetAt)),
        String(now),
        String(this.maxEntries),
      ),
      'store a login',
    );
    // Refuse rather than evict: evicting would let a flood of starts push out real logins.
    if (put !== 1) throw new StoreError('full', 'Too many logins are in progress.');
  }

  async replace(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    if (forgetAt <= this.clock()) return;
    // XX: only a key that still exists, in the same step as the write.
    await this.call(
      this.script(REPLACE, id, JSON.stringify(record), String(Math.ceil(forgetAt))),
      'record a status',
    );
  }

  async take(id: string): Promise<LoginRecord | undefined> {
    const value = await this.call(this.script(TAKE, id), 'take a login');
    return this.parse(id, typeof value === 'string' ? value : null);
  }

  /** Runs `source` on the login `id` and the count of logins, in one step. */
  private script(source: string, id: string, ...rest: string[]): Promise<unknown> {
    return this.redis.eval(source, 2, this.key(id), this.heldKey, id, ...rest);
  }

  private key(id: string): string {
    return this.keyPrefix + id;
  }

  /** A command's result, or its failure as the store's error (a full Redis is `full`). */
  private async call<T>(command: Promise<T>, what: string): Promise<T> {
    try {
      return await command;
    } catch (error) {
      throw redisFailure(error, what);
    }
  }

  private parse(id: string, value: string | null): LoginRecord | undefined {
    return value === null ? undefined : readStoredJson(StoredLoginRecord, value, `login ${id}`);
  }
}

function isCluster(redis: Redis | Cluster): boolean {
  return (redis as { isCluster?: unknown }).isCluster === true;
}

/** True when Redis Cluster would hash keys with this prefix by a tag in it: `{…}`, not empty. */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}
