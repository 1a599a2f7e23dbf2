import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import pino, { type Logger } from 'pino';
import { StoreError } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import { bodySizeCap } from './body-size-cap.js';
import { createCallbackSender } from './callback-sender.js';
import type { TokenServerConfig } from './config.js';
import { DeviceAuthenticator } from './device-authenticator.js';
import { EnrollmentService } from './enrollment-service.js';
import { TokenServerError } from './errors.js';
import { AcceptVerification } from './accept-verification.js';
import { PasskeyRegistration } from './passkey-registration.js';
import { PasskeyRelyingParty } from './passkey-relying-party.js';
import { socketIp } from './client-ip.js';
import type { IpLocator } from './ip-location/ip-locator.js';
import { countInProcess } from '../security/rate-counters.js';
import { FailureLimiter, rateLimit } from './rate-limit.js';
import { requestLog } from './request-log.js';
import { mobileRoutes } from './routes/mobile.js';
import { relyingPartyRoutes } from './routes/relying-party.js';
import { StatusWaiter } from './status-waiter.js';
import { storeFailureLog } from './store-failure-log.js';
import { networkOf } from '../security/network-prefix.js';

/** Mobile API calls one /24 or /64 may make, as a multiple of one address's, when not configured. */
const NETWORK_LIMIT_FACTOR = 4;

/** Wrong client credentials one address may send over all client ids, as a multiple of one id's. */
const FAILED_AUTH_ADDRESS_FACTOR = 10;
import { TransactionService } from './transaction-service.js';

/** The largest request body the Token Server reads. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface TokenServerOptions {
  config: TokenServerConfig;
  store: Store;
  logger?: Logger;
  clock?: () => number;
  /**
   * The caller's IP address. Defaults to the socket's peer address; behind a reverse proxy,
   * read the proxy's header here (and only then, since a client can send any header).
   */
  clientIp?: (c: Context) => string | null;
  /** Certificates (PEM) to trust for https callbacks instead of Node's CAs; see callback-sender.ts. */
  callbackCa?: string | Buffer;
  /**
   * Where browsers seem to be (openIpLocator() of the configuration's `ipLocation`), for the
   * place the phone shows; without it, the phone is shown no place.
   */
  ipLocator?: IpLocator;
}

export interface TokenServer {
  /** The Web-standard request handler: `app.fetch(request)`. */
  app: Hono;
  waiter: StatusWaiter;
  /** Starts shutting down: /readyz turns 503 and every held wait is answered now. */
  beginShutdown(): void;
  /** Answers the waits it holds, then closes the store. */
  close(): Promise<void>;
}

/** The reference Token Server: Onegini's v4 relying-party API and the mobile API. */
export function createTokenServer(options: TokenServerOptions): TokenServer {
  const { config, store } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? Date.now;
  const waiter = new StatusWaiter(store);
  const sendCallback = createCallbackSender({ logger, ca: options.callbackCa });
  const relyingParty = new PasskeyRelyingParty(config.appOrigins);
  const transactions = new TransactionService({
    store,
    config,
    waiter,
    acceptVerification: new AcceptVerification(relyingParty),
    clock,
    ipLocator: options.ipLocator,
    onAnswered: (record, transactionId) => {
      sendCallback(record.callbackUri, transactionId);
    },
  });
  const enrollments = new EnrollmentService({
    store,
    config,
    clock,
    ipLocator: options.ipLocator,
  });
  const passkeys = new PasskeyRegistration({ store, config, relyingParty, clock });
  const authenticator = new DeviceAuthenticator({ store, clockSkewMs: config.clockSkewMs, clock });
  const ipOf = options.clientIp ?? socketIp;
  // Instances that share their store share their rate limits too (Redis); else per process.
  const rateCounters = store.sharedRateCounters ?? countInProcess;
  let ready = true;
  const logStoreFailure = storeFailureLog(logger);

  const app = new Hono();
  app.use('*', requestLog(logger));
  // Every answer is JSON or plain text for a program: no browser may sniff it into a script.
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use(
    '*',
    bodySizeCap(MAX_BODY_BYTES, () => {
      throw tooLarge();
    }),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  /** The store's last reason for not being ready, logged once each time it changes. */
  let storeProblem: string | undefined;
  app.get('/readyz', (c) => {
    if (!ready) return c.json({ status: 'stopping' }, 503);
    const readiness = store.readiness?.() ?? { ready: true };
    const problem = readiness.ready ? undefined : readiness.reason;
    if (problem !== storeProblem) {
      if (problem === undefined) logger.info('store ready again');
      else logger.error({ reason: problem }, 'store not ready');
      storeProblem = problem;
    }
    // The reason stays in the log: it may name a file or a host.
    if (problem !== undefined) {
      return c.json({ status: 'store_unavailable' }, 503, { 'Retry-After': '5' });
    }
    return c.json({ status: 'ready' });
  });
  app.route(
    '/oauth/api/v4',
    relyingPartyRoutes({
      clients: config.clients,
      transactions,
      enrollments,
      maxWaitSeconds: config.maxWaitSeconds,
      perClientLimit: config.rateLimits.perClient,
      rateCounters,
      failedAuth: {
        // Per client id and address: a neighbour behind the same NAT who gets its own secret
        // wrong locks only itself out, not every website at that address.
        perClientAndAddress: new FailureLimiter(
          config.rateLimits.failedAuthPerIp,
          'failed-auth',
          rateCounters,
        ),
        // And per address, ten times as many: guesses spread over many client ids stop too.
        perAddress: new FailureLimiter(
          {
            ...config.rateLimits.failedAuthPerIp,
            points: config.rateLimits.failedAuthPerIp.points * FAILED_AUTH_ADDRESS_FACTOR,
          },
          'failed-auth-address',
          rateCounters,
        ),
      },
      clientIp: ipOf,
    }),
  );
  const mobileCors = cors({
    origin: config.appOrigins.map((origin) => new URL(origin).origin),
    allowMethods: ['POST'],
    allowHeaders: [
      'Content-Type',
      'Device-Id',
      'Request-Timestamp',
      'Request-Nonce',
      'Request-Signature',
    ],
    // Date: the SDK learns the server's clock from it and re-signs a call refused for clock skew.
    exposeHeaders: ['Retry-After', 'Date'],
    maxAge: 600,
  });
  // CORS headers are only for browsers, which always send Origin on a cross-origin call. Skipping
  // them for other callers (a native app, a test client) also keeps their responses on
  // @hono/node-server's fast path: Hono's cors middleware edits the response before the route
  // makes it, which turns every response into a full WHATWG Response.
  const browserCors: MiddlewareHandler = (c, next) =>
    c.req.header('origin') === undefined ? next() : mobileCors(c, next);
  app.use('/api/mobile/*', browserCors);
  // After CORS, so that a browser app can read a 429 and preflights are not counted.
  app.use('/api/mobile/*', rateLimit(config.rateLimits.perIp, ipOf, 'ip', rateCounters));
  app.use(
    '/api/mobile/*',
    rateLimit(
      config.rateLimits.perNetwork ?? {
        points: config.rateLimits.perIp.points * NETWORK_LIMIT_FACTOR,
        durationSeconds: config.rateLimits.perIp.durationSeconds,
      },
      (c) => {
        const ip = ipOf(c);
        return ip === null ? null : networkOf(ip);
      },
      'network',
      rateCounters,
    ),
  );
  app.route(
    '/api/mobile/v1',
    mobileRoutes({ authenticator, transactions, enrollments, passkeys, clientIp: ipOf }),
  );
  app.notFound((c) => c.json({ error: 'not_found', error_description: 'No such endpoint.' }, 404));
  app.onError((error, c) => {
    if (error instanceof TokenServerError) {
      return c.json(error.toJSON(), error.status as 400, error.headers);
    }
    // The store failed (unreachable, full, or holding what it did not write): nothing was half
    // done, and the call may succeed later. 503 tells the SDK and the kit to try again.
    if (error instanceof StoreError) {
      logStoreFailure(error);
      return c.json(
        {
          error: 'temporarily_unavailable',
          error_description: 'The server cannot use its storage now; try again.',
        },
        503,
        { 'Retry-After': '5' },
      );
    }
    logger.error({ err: error }, 'unexpected error');
    return c.json(
      { error: 'server_error', error_description: 'The server failed; try again.' },
      500,
    );
  });

  return {
    app,
    waiter,
    beginShutdown() {
      ready = false;
      waiter.releaseAll();
    },
    async close() {
      ready = false;
      waiter.close();
      sendCallback.close();
      await store.close();
    },
  };
}

function tooLarge(): TokenServerError {
  return new TokenServerError({
    code: 413,
    status: 413,
    error: 'request_too_large',
    message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
  });
}
