import type { Logger } from 'pino';
import type { StoreError } from '../store/store-error.js';

/** How often a store failure of one kind is logged again while it goes on. */
export const STORE_FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Logs store failures without flooding the log during an outage: the first failure of a kind
 * (its code: `unavailable`, `full`, …) at once, then at most one line per interval for that kind,
 * saying how many failed since the last line. Every request still gets its 503.
 */
export function storeFailureLog(
  logger: Logger,
  clock: () => number = Date.now,
  intervalMs = STORE_FAILURE_LOG_INTERVAL_MS,
): (error: StoreError) => void {
  const lastLogged = new Map<string, number>();
  const unlogged = new Map<string, number>();
  return (error) => {
    const now = clock();
    const last = lastLogged.get(error.code);
    if (last !== undefined && now - last < intervalMs) {
      unlogged.set(error.code, (unlogged.get(error.code) ?? 0) + 1);
      return;
    }
    const since = unlogged.get(error.code) ?? 0;
    lastLogged.set(error.code, now);
    unlogged.delete(error.code);
    logger.error(
      { err: error, ...(since > 0 ? { failedSinceLastLine: since } : {}) },
      'store failed',
    );
  };
}
