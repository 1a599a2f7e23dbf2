import { Redis } from 'ioredis';

/**
 * A client of a Redis that is not there (the discard port), which fails each command at once
 * instead of queueing it while it reconnects: a store on it shows what it does when Redis is down.
 */
export function unreachableRedis(): Redis {
  return new Redis('redis://127.0.0.1:9', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
}
