/*
 * Runs the reference Token Server: `npm run token-server` (see docs/token-server-api.md).
 * Configuration: TOKEN_SERVER_CONFIG and the variables in load-config.ts.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { createTokenServer } from './app.js';
import { loadTokenServerEnvironment, type TokenServerEnvironment } from './load-config.js';
import { LOGGER_REDACTIONS } from './request-log.js';

const PURGE_INTERVAL_MS = 60_000;
/** How long a shutdown lets running requests finish. */
const SHUTDOWN_GRACE_MS = 10_000;
/** Finished transactions stay readable this long after they expire. */
const PURGE_GRACE_MS = 10 * 60_000;

let environment: TokenServerEnvironment;
try {
  environment = loadTokenServerEnvironment(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const logger = pino({ level: environment.logLevel, redact: LOGGER_REDACTIONS });
const store = await openStore(environment);
const tokenServer = createTokenServer({ config: environment.config, store, logger });
const purge = setInterval(() => {
  store.purgeExpired(Date.now() - PURGE_GRACE_MS).catch((error: unknown) => {
    logger.warn({ err: error }, 'purge failed');
  });
}, PURGE_INTERVAL_MS);
purge.unref();

const httpServer = serve(
  { fetch: tokenServer.app.fetch, hostname: environment.host, port: environment.port },
  (info) => {
    logger.info(
      {
        url: `http://${environment.host}:${info.port}`,
        store: environment.redisUrl ? 'redis' : 'sqlite',
      },
      'token server listening',
    );
  },
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: answering held waits');
  clearInterval(purge);
  // Answer every held long-poll first, then stop accepting connections and close the store.
  tokenServer.beginShutdown();
  await closeConnections();
  await tokenServer.close();
  process.exit(0);
}
/**
 * Stops accepting connections and waits for the open ones to finish their requests. close()
 * ends only the keep-alive connections idle at that moment; those that were still writing the
 * answer to a released wait would stay open until their keep-alive timeout (seconds), so idle
 * ones are closed again as they appear. Requests still running after 10 s are cut off.
 */
async function closeConnections(): Promise<void> {
  const server = httpServer as Server;
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  const sweep = setInterval(() => {
    server.closeIdleConnections();
  }, 50);
  const cutOff = setTimeout(() => {
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  await closed;
  clearInterval(sweep);
  clearTimeout(cutOff);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

async function openStore(env: TokenServerEnvironment): Promise<Store> {
  if (env.redisUrl !== null) {
    const { RedisStore } = await import('../store/redis-store.js');
    return new RedisStore({
      url: env.redisUrl,
      onConnectionError: (error) => {
        logger.warn({ err: error }, 'Redis connection error');
      },
    });
  }
  return new SqliteStore(env.databasePath, {
    onCheckpointError: (error) => {
      logger.warn({ err: error }, 'SQLite checkpoint failed; it is tried again');
    },
  });
}
