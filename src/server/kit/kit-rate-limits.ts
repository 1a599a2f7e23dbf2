import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateCounters } from '../security/rate-counters.js';
import type { KitRateLimit, OtpLoginKitConfig } from './kit-config.js';

/** The kit's rate limits. */
export interface KitRateLimits {
  /** Starts per browser address. */
  readonly startPerIp: RateLimiterAbstract;
  /** Starts per browser network (IPv4 /24, IPv6 /64). */
  readonly startPerNetwork: RateLimiterAbstract;
  /** Starts of all browsers together. */
  readonly startOverall: RateLimiterAbstract;
  /** Polls per browser address. */
  readonly statusPerIp: RateLimiterAbstract;
  /** Polls per login. */
  readonly statusPerLogin: RateLimiterAbstract;
  /** Callbacks per caller address. */
  readonly callbackPerIp: RateLimiterAbstract;
  /** Confirmations (a typed code, a comparison) per browser address. */
  readonly confirmPerIp: RateLimiterAbstract;
  /** Confirmations per login. */
  readonly confirmPerLogin: RateLimiterAbstract;
}

/**
 * The limits the website configured (or the defaults), counted by `counters`: the store's shared
 * counters (Redis) or this process's. The names are part of the counters' keys in Redis.
 */
export function kitRateLimits(
  limits: OtpLoginKitConfig['rateLimits'] = {},
  counters: RateCounters,
): KitRateLimits {
  const limiter = (name: string, limit: KitRateLimit) =>
    counters({ name, points: limit.points, durationSeconds: limit.durationSeconds });
  return {
    startPerIp: limiter('start', limits.startPerIp ?? { points: 30, durationSeconds: 60 }),
    startPerNetwork: limiter(
      'start-net',
      limits.startPerNetwork ?? { points: 120, durationSeconds: 60 },
    ),
    startOverall: limiter(
      'start-all',
      limits.startOverall ?? { points: 3000, durationSeconds: 60 },
    ),
    statusPerIp: limiter('ip', limits.statusPerIp ?? { points: 300, durationSeconds: 60 }),
    statusPerLogin: limiter('login', limits.statusPerLogin ?? { points: 60, durationSeconds: 60 }),
    callbackPerIp: limiter('cb', limits.callbackPerIp ?? { points: 600, durationSeconds: 60 }),
    confirmPerIp: limiter('confirm', limits.confirmPerIp ?? { points: 30, durationSeconds: 60 }),
    confirmPerLogin: limiter(
      'confirm-login',
      limits.confirmPerLogin ?? { points: 10, durationSeconds: 60 },
    ),
  };
}

/**
 * Counts one request for `key`: undefined while it is within the limit, else the whole seconds
 * (at least 1) until the limit lets it through again.
 */
export async function secondsOverLimit(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}
