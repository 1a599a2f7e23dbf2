import type { Context, Env, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateCounters } from '../store/store.js';
import { SDK_ERRORS } from '../../protocol/index.js';
import { TokenServerError } from './errors.js';

/** A limit: `points` requests per `durationSeconds`, per key. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/** Counters in this process: for a store that one process uses. */
export const countInProcess: RateCounters = (options) =>
  new RateLimiterMemory({
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: options.name,
  });

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
        throw slowDown(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
    }
    await next();
  };
}

/**
 * Counts failures (wrong client credentials) per key, and refuses a key that failed too often
 * with 429 before its credentials are even checked: a brake on guessing secrets.
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

  /** Throws 429 when `key` has used up its failures. */
  async assertAllowed(key: string | null): Promise<void> {
    if (key === null) return;
    const state = await this.limiter.get(key);
    if (state !== null && state.consumedPoints >= this.limit.points) {
      throw slowDown(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  async recordFailure(key: string | null): Promise<void> {
    if (key === null) return;
    await this.limiter.penalty(key, 1);
  }
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
