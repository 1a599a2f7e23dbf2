import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import * as v from 'valibot';
import { LOGIN_STATUSES } from '../../protocol/index.js';
import { KitError } from './kit-errors.js';
import type { KitRateCounters, LoginRecord, LoginStore } from './login-store.js';

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
});

/**
 * A {@link LoginStore} in Redis, for a website that runs several instances: a browser's polls
 * may reach any of them. Each login is one key that Redis expires at its `forgetAt`; `take` is
 * GETDEL (Redis 6.2 and later), so of two instances taking the same accepted login at the same
 * moment exactly one gets it. The kit's rate limits are counted here too.
 *
 * The memory store refuses new logins when full rather than evicting live ones. In Redis that is
 * the `noeviction` policy with a `maxmemory`: a full Redis then refuses the write, and the kit
 * answers 503 busy, as the memory store's `store_full` does.
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
  readonly sharedRateCounters: KitRateCounters = ({ name, points, durationSeconds }) =>
    new RateLimiterRedis({
      storeClient: this.redis,
      points,
      duration: durationSeconds,
      keyPrefix: `${this.keyPrefix}rate:${name}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    });

  async get(id: string): Promise<LoginRecord | undefined> {
    return this.parse(id, await this.redis.get(this.key(id)));
  }

  async put(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    if (forgetAt <= this.clock()) {
      await this.redis.del(this.key(id));
      return;
    }
    await refusedWhenFull(
      this.redis.set(this.key(id), JSON.stringify(record), 'PXAT', Math.ceil(forgetAt)),
    );
  }

  async replace(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    if (forgetAt <= this.clock()) return;
    // XX: only a key that still exists, in the same step as the write.
    await refusedWhenFull(
      this.redis.set(this.key(id), JSON.stringify(record), 'PXAT', Math.ceil(forgetAt), 'XX'),
    );
  }

  async take(id: string): Promise<LoginRecord | undefined> {
    return this.parse(id, await this.redis.getdel(this.key(id)));
  }

  private key(id: string): string {
    return this.keyPrefix + id;
  }

  private parse(id: string, value: string | null): LoginRecord | undefined {
    if (value === null) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch (error) {
      throw unreadable(id, error);
    }
    const checked = v.safeParse(StoredLoginRecord, json);
    if (!checked.success) throw unreadable(id, new v.ValiError(checked.issues));
    return checked.output;
  }
}

/** A write that a full Redis (`noeviction`) refuses is the store's `store_full`, as in memory. */
async function refusedWhenFull(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('OOM'))
      throw new KitError('store_full', 'Too many logins are in progress.', { cause: error });
    throw error;
  }
}

function unreadable(id: string, cause: unknown): KitError {
  return new KitError('store_unreadable', `The stored login ${id} is not one this kit wrote.`, {
    cause,
  });
}
