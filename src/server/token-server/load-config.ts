import { readFileSync } from 'node:fs';
import { parseTokenServerConfig, type TokenServerConfig } from './config.js';

/** Where the SQLite database is when TOKEN_SERVER_DATABASE does not say. */
export const DEFAULT_DATABASE_PATH = 'data/token-server.db';

/** Where and how the Token Server runs, from environment variables. */
export interface TokenServerEnvironment {
  config: TokenServerConfig;
  host: string;
  port: number;
  /** SQLite file; ignored when `redisUrl` is set. */
  databasePath: string;
  /** Create the SQLite file if it is missing (a first start); else a missing file stops the start. */
  createDatabase: boolean;
  redisUrl: string | null;
  /**
   * PostgreSQL, to run several instances on what must last: everything, or with `redisUrl` too,
   * linked phones here and logins in Redis (docs/deploy.md).
   */
  postgresUrl: string | null;
  logLevel: string;
  /** Reverse proxies of your own in front of the server (0: none); see client-ip.ts. */
  trustedProxyHops: number;
  /** The origin that websites and phones reach the server at, if known. */
  publicUrl: string | null;
  /** Host the prebuilt scanner app at `{publicUrl}/app/` (needs `publicUrl`). */
  serveApp: boolean;
}

/**
 * Reads the configuration file named by TOKEN_SERVER_CONFIG, and the rest from:
 * TOKEN_SERVER_HOST (127.0.0.1), TOKEN_SERVER_PORT (7001), TOKEN_SERVER_DATABASE
 * (./data/token-server.db), TOKEN_SERVER_CREATE_DATABASE (1: create that file if it is missing,
 * for a first start; else a missing file stops the start), POSTGRES_URL (unset: not PostgreSQL),
 * REDIS_URL (unset: SQLite), LOG_LEVEL (info),
 * TOKEN_SERVER_TRUSTED_PROXIES (0: the callers connect directly), TOKEN_SERVER_PUBLIC_URL (the
 * configuration's `publicUrl`) and TOKEN_SERVER_APP (`off`: do not host the scanner app).
 */
export function loadTokenServerEnvironment(env: NodeJS.ProcessEnv): TokenServerEnvironment {
  const path = env.TOKEN_SERVER_CONFIG;
  if (path === undefined || path === '') {
    throw new TypeError(
      'Set TOKEN_SERVER_CONFIG to the path of the configuration file (see config/token-server.example.json).',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new TypeError(`Cannot read the configuration file ${path}: ${(cause as Error).message}`);
  }
  const port = Number(env.TOKEN_SERVER_PORT ?? '7001');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError('TOKEN_SERVER_PORT must be a port number.');
  }
  const hops = Number(env.TOKEN_SERVER_TRUSTED_PROXIES ?? '0');
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new TypeError(
      'TOKEN_SERVER_TRUSTED_PROXIES must be the number of your own reverse proxies in front of the server, 0 to 10.',
    );
  }
  const config = parseTokenServerConfig(json);
  const publicUrl = env.TOKEN_SERVER_PUBLIC_URL ?? config.publicUrl ?? null;
  if (publicUrl !== null && !isOrigin(publicUrl)) {
    throw new TypeError(
      `TOKEN_SERVER_PUBLIC_URL must be an origin such as https://tokens.example.com; got "${publicUrl}".`,
    );
  }
  const create = env.TOKEN_SERVER_CREATE_DATABASE ?? '0';
  if (create !== '0' && create !== '1') {
    throw new TypeError(`TOKEN_SERVER_CREATE_DATABASE must be 1 or 0; got "${create}".`);
  }
  const app = env.TOKEN_SERVER_APP ?? 'on';
  if (app !== 'on' && app !== 'off') {
    throw new TypeError(`TOKEN_SERVER_APP must be "on" or "off"; got "${app}".`);
  }
  return {
    config,
    host: env.TOKEN_SERVER_HOST ?? '127.0.0.1',
    port,
    databasePath: env.TOKEN_SERVER_DATABASE ?? DEFAULT_DATABASE_PATH,
    createDatabase: create === '1',
    redisUrl: env.REDIS_URL ?? null,
    postgresUrl: env.POSTGRES_URL ?? null,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustedProxyHops: hops,
    publicUrl: publicUrl === null ? null : new URL(publicUrl).origin,
    serveApp: app === 'on' && publicUrl !== null,
  };
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}
