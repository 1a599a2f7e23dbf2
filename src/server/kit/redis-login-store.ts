import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import * as v from 'valibot';
import { LOGIN_STATUSES } from '../../protocol/index.js';
import type { RateCounters } from '../security/rate-counters.js';
import { redisFailure } from '../store/redis-failure.js';
import { readStoredJson } from '../store/stored-records.js';
import type { LoginRecord, LoginStore } from './login-store.js';

export interface RedisLoginStoreOptions {
  /**
   * The website's ioredis client (or cluster). The store neither connects nor closes it, so one
   * client can serve the website's sessions and its logins.
   */
  redis: Redis | Cluster;
  /** Put before every key, so that logins stay apart from the website's other data. */
  keyPrefix?: string;
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
  knownDeviceIds: v.optional(v.array(v.string())),
}) satisfies v.GenericSchema<unknown, LoginRecord>;

/**
 * A {@link LoginStore} in Redis, for a website that runs several instances: a browser's polls
 * may reach any of them. Each login is one key that Redis expires at its `forgetAt`; `take` is
 * GETDEL (Redis 6.2 and later), so of two instances taking the same accepted login at the same
 * moment exactly one gets it. The kit's rate limits are counted here too.
 *
 * The memory store refuses new logins when full rather than evicting live ones. In Redis that is
 * the `noeviction` policy with a `maxmemory`: a full Redis then refuses the write, which is the
 * store error `full`, and the kit answers 503 busy, as it does for the memory store's.
 */
export class RedisLoginStore implements LoginStore {
  private readonly redis: Redis | Cluster;
  private readonly keyPrefix: string;
  private readonly clock: () => number;

  constructor(options: RedisLoginStoreOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'otp-login:login:';
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
    if (forgetAt <= this.clock()) {
      await this.call(this.redis.del(this.key(id)), 'forget a login');
      return;
    }
    await this.call(
      this.redis.set(this.key(id), JSON.stringify(record), 'PXAT', Math.ceil(forgetAt)),
      'store a login',
    );
  }

  async replace(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    if (forgetAt <= this.clock()) return;
    // XX: only a key that still exists, in the same step as the write.
    await this.call(
      this.redis.set(this.key(id), JSON.stringify(record), 'PXAT', Math.ceil(forgetAt), 'XX'),
      'record a status',
    );
  }

  async take(id: string): Promise<LoginRecord | undefined> {
    return this.parse(id, await this.call(this.redis.getdel(this.key(id)), 'take a login'));
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
