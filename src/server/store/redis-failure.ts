import { StoreError } from './store-error.js';

/**
 * What a failed Redis command means for a store: a full Redis (`OOM`, with `noeviction`) takes
 * no new records; a key of another type (`WRONGTYPE`) holds something the store did not write;
 * anything else (connection lost, Redis loading or read-only) is Redis being unavailable.
 * Shared by the Token Server's RedisStore and the kit's RedisLoginStore; imports no Redis client.
 */
export function redisFailure(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('OOM'))
    return new StoreError('full', `Redis is full and may not evict: ${what} refused.`, {
      cause: error,
    });
  if (message.startsWith('WRONGTYPE'))
    return new StoreError('unreadable', `Redis holds another type of value: ${what} refused.`, {
      cause: error,
    });
  return new StoreError('unavailable', `Redis failed: ${what}: ${message}`, { cause: error });
}
