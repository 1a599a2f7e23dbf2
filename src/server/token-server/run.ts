/*
 * Runs the reference Token Server as a process: `npx otp-login-qr token-server` from the package,
 * `npm run token-server` in a clone. Configuration: TOKEN_SERVER_CONFIG and the variables in
 * load-config.ts (docs/token-server-api.md, docs/deploy.md).
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { mountedAt } from '../app-host/mounted-at.js';
import { prebuiltAppDir } from '../app-host/prebuilt-app.js';
import { createPwaServer } from '../app-host/pwa-static-server.js';
import type { Store } from '../store/store.js';
import { createTokenServer } from './app.js';
import { clientIpBehindProxies } from './client-ip.js';
import type { IpLocator } from './ip-location/ip-locator.js';
import { openIpLocator } from './ip-location/open-ip-locator.js';
import { loadTokenServerEnvironment, type TokenServerEnvironment } from './load-config.js';
import { openStore } from './open-store.js';
import { LOGGER_REDACTIONS, LOGGER_SERIALIZERS } from './request-log.js';

const PURGE_INTERVAL_MS = 60_000;
/** How long a shutdown lets running requests finish. */
const SHUTDOWN_GRACE_MS = 10_000;
/** Finished transactions stay readable this long after they expire. */
const PURGE_GRACE_MS = 10 * 60_000;
/** Where the Token Server hosts the scanner app. */
export const APP_PATH = '/app';

/**
 * Reads the environment, starts the server and stops it gracefully on SIGTERM or SIGINT. A bad
 * configuration is printed and ends the process with exit code 1.
 */
export async function runTokenServerProcess(env: NodeJS.ProcessEnv): Promise<void> {
  let environment: TokenServerEnvironment;
  try {
    environment = loadTokenServerEnvironment(env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let logger: Logger;
  try {
    logger = pino({
      level: environment.logLevel,
      redact: LOGGER_REDACTIONS,
      serializers: LOGGER_SERIALIZERS,
    });
  } catch (error) {
    console.error(`LOG_LEVEL: ${(error as Error).message}`);
    process.exit(1);
  }
  let store: Store;
  try {
    store = await openStore(environment, logger);
  } catch (error) {
    // A missing peer dependency or a database that cannot be opened: say so in one line.
    console.error(`The Token Server cannot open its store: ${(error as Error).message}`);
    process.exit(1);
  }
  let ipLocator: IpLocator | undefined;
  const { ipLocation } = environment.config;
  if (ipLocation !== false) {
    try {
      ipLocator = (await openIpLocator(ipLocation)) ?? undefined;
    } catch (error) {
      // A database file named in the configuration that cannot be read: say so, do not start
      // without the places the operator asked for.
      console.error(`The Token Server cannot open its IP databases: ${(error as Error).message}`);
      await store.close();
      process.exit(1);
    }
  }
  const tokenServer = createTokenServer({
    config: environment.config,
    store,
    logger,
    ipLocator,
    ...(environment.trustedProxyHops > 0
      ? { clientIp: clientIpBehindProxies(environment.trustedProxyHops) }
      : {}),
  });
  const purge = setInterval(() => {
    store.purgeExpired(Date.now() - PURGE_GRACE_MS).catch((error: unknown) => {
      logger.warn({ err: error }, 'purge failed');
    });
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const app =
    environment.serveApp && environment.publicUrl !== null
      ? mountedAt(
          APP_PATH,
          createPwaServer({ root: prebuiltAppDir(), tokenServerUrl: environment.publicUrl }).fetch,
        )
      : () => undefined;

  let stopping = false;
  const httpServer = serve(
    {
      fetch: async (request, bindings) => {
        // Decided when the answer is ready: a wait held since before the stop answers now.
        const response = (await app(request)) ?? (await tokenServer.app.fetch(request, bindings));
        return stopping ? closingConnection(response) : response;
      },
      hostname: environment.host,
      port: environment.port,
    },
    (info) => {
      logger.info(
        {
          url: `http://${environment.host}:${info.port}`,
          store:
            environment.postgresUrl && environment.redisUrl
              ? 'postgres+redis'
              : environment.postgresUrl
                ? 'postgres'
                : environment.redisUrl
                  ? 'redis'
                  : 'sqlite',
          ...(environment.serveApp ? { app: `${environment.publicUrl ?? ''}${APP_PATH}/` } : {}),
        },
        'token server listening',
      );
    },
  );

  httpServer.on('error', (error: NodeJS.ErrnoException) => {
    // A taken port or an address this machine does not have: one line, not a stack trace.
    console.error(
      `The Token Server cannot listen on ${environment.host}:${environment.port}: ${error.message}`,
    );
    process.exit(1);
  });

  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: answering held waits');
    clearInterval(purge);
    // Answer every held long-poll first, then stop accepting connections and close the store.
    tokenServer.beginShutdown();
    await closeConnections(httpServer as Server);
    await tokenServer.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * While stopping, every answer says `Connection: close`: the client opens a new connection for
 * its next request (to another instance) instead of reusing this one, and Node closes the
 * connection once the answer is out. Closing idle keep-alive connections from this side instead
 * would race with a client that is just sending its next request on one.
 */
function closingConnection(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Connection', 'close');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * Stops accepting connections and waits for the open ones to finish their requests: close()
 * ends the connections idle at that moment, and the others end after their answer (see
 * closingConnection). Requests still running after 10 s are cut off.
 */
async function closeConnections(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  const cutOff = setTimeout(() => {
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(cutOff);
}
