import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** What a rate limit counts: `points` requests per `durationSeconds` per key, under `name`. */
export interface RateCounterOptions {
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * Makes the counters of one rate limit. A store that several instances share (Redis) offers its
 * own, so that n instances allow what one would; the Token Server and the website kit both take
 * this type.
 */
export type RateCounters = (options: RateCounterOptions) => RateLimiterAbstract;

/** Counters in this process: for a store that one process uses. */
export const countInProcess: RateCounters = (options) =>
  new RateLimiterMemory({
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: options.name,
  });
