/*
 * The Token Server process's store, as its environment asks: SQLite by default, PostgreSQL
 * (POSTGRES_URL), Redis (REDIS_URL), or PostgreSQL for what must last and Redis for what may be
 * lost (both). See docs/deploy.md.
 */
import type { Logger } from 'pino';
import { redisDurabilityProblems, RedisNotDurableError } from '../store/redis-durability.js';
import { settledWithin } from '../store/settled-within.js';
import { SplitStore } from '../store/split-store.js';
import type { Store } from '../store/store.js';
import type { TokenServerEnvironment } from './load-config.js';

/** How long start-up waits for Redis or PostgreSQL; without it the server does not start. */
const STORE_CONNECT_WAIT_MS = 10_000;

/** Opens the store the environment names (docs/deploy.md): SQLite, PostgreSQL, Redis, or both. */
export async function openStore(env: TokenServerEnvironment, logger: Logger): Promise<Store> {
  if (env.postgresUrl !== null && env.redisUrl !== null) {
    // What must last in PostgreSQL, what may be lost in Redis (split-store.ts).
    const durable = await openPostgresStore(env.postgresUrl, logger);
    try {
      const fast = await openRedisStore(env.redisUrl, env, logger, 'what may be lost');
      return new SplitStore(durable, fast);
    } catch (error) {
      await durable.close();
      throw error;
    }
  }
  if (env.postgresUrl !== null) return openPostgresStore(env.postgresUrl, logger);
  if (env.redisUrl !== null) return openRedisStore(env.redisUrl, env, logger, 'everything');
  const { SqliteStore } = await import('../store/sqlite-store.js');
  return new SqliteStore(env.databasePath, {
    create: env.createDatabase,
    onCheckpointError: (error) => {
      logger.warn({ err: error }, 'SQLite checkpoint failed; it is tried again');
    },
  });
}

/**
 * Redis (ioredis, an optional peer dependency, imported only when asked for), served once it is
 * up, so that rate limits are shared from the first request. Holding `everything`, linked phones
 * included, it must keep them: its persistence is checked, and a mark notices a Redis that lost
 * its data. Holding only `what may be lost` (beside PostgreSQL), neither is needed.
 */
async function openRedisStore(
  url: string,
  env: TokenServerEnvironment,
  logger: Logger,
  holds: 'everything' | 'what may be lost',
): Promise<Store> {
  const { RedisStore } = await import('../store/redis-store.js');
  const redisStore = new RedisStore({
    url,
    onConnectionError: (error) => {
      logger.warn({ err: error }, 'Redis connection error');
    },
  });
  await untilUp(redisStore, redisStore.connected(), `Redis at ${redactedUrl(url)}`);
  if (holds === 'what may be lost') return redisStore;
  const problems = redisDurabilityProblems(await redisStore.persistenceSettings());
  if (problems.length > 0) {
    if (!env.config.redis.acceptDataLoss) {
      await redisStore.close();
      throw new RedisNotDurableError(problems);
    }
    logger.warn({ problems }, 'Redis can lose linked phones; accepted by the configuration');
  }
  const markFound = await redisStore.markAndWatch(() => {
    logger.error(
      'Redis lost its data under the running server (restarted without persistence, or ' +
        'flushed): linked phones are gone from it. /readyz answers 503 and phones are told to ' +
        'try later. Restore Redis from a backup, or restart the servers to start over empty.',
    );
  });
  if (!markFound) {
    logger.warn(
      'Redis holds no data of a Token Server yet: starting on it empty. If phones were linked ' +
        'before, this Redis lost them.',
    );
  }
  return redisStore;
}

/**
 * PostgreSQL (pg, an optional peer dependency, imported only when asked for): served once its
 * tables exist and it listens for changes, so that a wait held here hears answers given on any
 * instance; not at all if that takes longer than the Redis start-up wait.
 */
async function openPostgresStore(url: string, logger: Logger): Promise<Store> {
  const { PostgresStore } = await import('../store/postgres-store.js');
  const store = new PostgresStore({
    connectionString: url,
    onConnectionError: (error) => {
      logger.warn({ err: error }, 'PostgreSQL connection error');
    },
  });
  await untilUp(store, store.listening(), `PostgreSQL at ${redactedUrl(url)}`);
  return store;
}

/**
 * Waits until `up` settles and the store says it is ready, at most STORE_CONNECT_WAIT_MS; else
 * closes the store and fails, naming `what`: the server does not start on a store it cannot use.
 */
async function untilUp(store: Store, up: Promise<void>, what: string): Promise<void> {
  const late = () => new Error(`${what} did not answer within ${STORE_CONNECT_WAIT_MS / 1000} s.`);
  try {
    await settledWithin(up, STORE_CONNECT_WAIT_MS, late);
    if (store.readiness?.().ready === false) throw late();
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** A store's URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
