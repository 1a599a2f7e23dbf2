import type { Context, Env, MiddlewareHandler } from 'hono';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { countInProcess, type RateCounters } from '../security/rate-counters.js';
import { SDK_ERRORS } from '../../protocol/index.js';
import { TokenServerError } from './errors.js';

/** A limit: `points` requests per `durationSeconds`, per key. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/**
 * Rate limiting with rate-limiter-flexible, which counts per key in fixed windows, in this
 * process or in Redis (`counters`) without changing this code. Requests over the limit get 429
 * with Retry-After and `{error: "slow_down"}`; requests without a key (no client IP known) pass.
 */
export function rateLimit<E extends Env>(
  limit: RateLimit,
  keyOf: (c: Context<E>) => string | null,
  name: string,
  counters: RateCounters = countInProcess,
): MiddlewareHandler<E> {
  const limiter = counters({ ...limit, name });
  return async (c, next) => {
    const key = keyOf(c);
    if (key !== null) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw slowDown(retryAfter(rejection));
      }
    }
    await next();
  };
}

/** One credential check, as FailureLimiter counts it. */
export interface CheckedAttempt {
  /** The credentials were wrong: counts a failure. */
  failed(): Promise<void>;
  /** The credentials were right: gives back what the check may have taken. */
  succeeded(): Promise<void>;
}

const NOTHING_TO_COUNT: CheckedAttempt = {
  failed: () => Promise.resolve(),
  succeeded: () => Promise.resolve(),
};

/**
 * Counts failures (wrong client credentials) per key, and refuses a key that failed too often
 * with 429 before its credentials are even checked: a brake on guessing secrets.
 *
 * With counters in Redis, reading the count and adding a failure are two round trips, and many
 * guesses sent at once would all read "under the limit". So once a key has failed, each of its
 * attempts takes a point first, in one atomic step, and gives it back if the credentials were
 * right. A key that never failed (a website's backend) costs one read and nothing more.
 */
export class FailureLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly limit: RateLimit,
    name: string,
    counters: RateCounters = countInProcess,
  ) {
    this.limiter = counters({ ...limit, name });
  }

  /** Throws 429 when `key` has used up its failures; else says how to count this attempt. */
  async begin(key: string | null): Promise<CheckedAttempt> {
    if (key === null) return NOTHING_TO_COUNT;
    const state = await this.limiter.get(key);
    if (state === null || state.consumedPoints === 0) {
      return {
        failed: async () => {
          await this.limiter.penalty(key, 1);
        },
        succeeded: () => Promise.resolve(),
      };
    }
    if (state.consumedPoints >= this.limit.points) throw slowDown(retryAfter(state));
    try {
      await this.limiter.consume(key, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw slowDown(retryAfter(rejection));
    }
    return {
      failed: () => Promise.resolve(), // the point taken stays taken
      succeeded: async () => {
        await this.limiter.reward(key, 1);
      },
    };
  }
}

function retryAfter(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

function slowDown(retryAfterSeconds: number): TokenServerError {
  return new TokenServerError({
    code: SDK_ERRORS.RATE_LIMITED.code,
    status: 429,
    error: 'slow_down',
    message: `Too many requests; try again in ${retryAfterSeconds} s.`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
