import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import pino, { type Logger } from 'pino';

/**
 * Logs one line per request: method, route pattern (never the raw path, which holds ids),
 * status and duration. Bodies, query strings and headers are never logged, so OTPs, secrets,
 * keys, signatures and credentials cannot reach the log.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  const logged: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
  // At a level above info (production's usual warn), a request costs no log work, and no async
  // frame that a held long-poll would keep alive.
  return (c, next) => (logger.isLevelEnabled('info') ? logged(c, next) : next());
}

/**
 * pino serializers for the Token Server. An error's `code` (SQLITE_FULL, ECONNREFUSED, a
 * StoreError's `full`) says what went wrong and is no secret, but `code` is also the name of the
 * enrollment code, which LOGGER_REDACTIONS hides: errors carry theirs as `errorCode`.
 */
export const LOGGER_SERIALIZERS = {
  err: (error: unknown): unknown => {
    const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<
      string,
      unknown
    >;
    const errorCode = codeOf(error);
    // pino folds a cause into the message and stack, without its code: SQLITE_FULL under `full`.
    const causeCode = codeOf((error as { cause?: unknown } | null)?.cause);
    return {
      ...serialized,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(causeCode === undefined ? {} : { causeCode }),
    };
  },
};

function codeOf(value: unknown): string | number | undefined {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

/** pino options for the Token Server: also redacts the usual secret-bearing fields, in case. */
export const LOGGER_REDACTIONS = [
  'otp',
  'secret',
  'code',
  'authorization',
  '*.otp',
  '*.secret',
  '*.code',
  '*.authorization',
  '*.headers.authorization',
  '*.publicKeyJwk',
];
