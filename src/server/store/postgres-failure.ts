import { StoreError } from './store-error.js';

/*
 * What a failed PostgreSQL query means for a store. Imports no PostgreSQL client: node-postgres's
 * errors are recognised by their shape (a SQLSTATE `code` from the server, a system error code
 * from the socket, or node-postgres's own messages about its connection).
 */

/** SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) the store names. */
const UNIQUE_VIOLATION = '23505';
const DISK_FULL = '53100';
/** Server shutting down, crashed, starting up or recovering: it will answer again. */
const SERVER_GOING_AWAY = new Set(['57P01', '57P02', '57P03', '57P05']);
/** No connection to be had now: too many connections, or too little memory for one. */
const NO_CONNECTION_NOW = new Set(['53300', '53200']);
/** Serialization failure, deadlock: another transaction won; trying again may succeed. */
const LOST_TO_ANOTHER = new Set(['40001', '40P01']);

/** Errors of the socket under a connection (Node's system error codes). */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT',
]);

/** node-postgres's (and pg-pool's) own errors about a connection, which carry no code. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  'Cannot use a pool after calling end on the pool',
];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A SQLSTATE: five characters, digits and upper-case letters. */
function sqlState(error: unknown): string | undefined {
  const code = codeOf(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when `error` says that PostgreSQL cannot be reached, or dropped the connection: the
 * server is down, restarting, refusing new connections, or the network between is broken.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const state = sqlState(error);
  if (state !== undefined)
    return state.startsWith('08') || SERVER_GOING_AWAY.has(state) || NO_CONNECTION_NOW.has(state);
  const code = codeOf(error);
  if (code !== undefined && SOCKET_ERRORS.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return CONNECTION_MESSAGES.some((message) => error.message.includes(message));
}

/**
 * The store's error for a failed query: a key that exists is `duplicate`, a full disk `full`, a
 * transaction that lost to another `conflict`, and everything else of PostgreSQL's (unreachable,
 * shutting down, too many connections, a permission, a table dropped under the server)
 * `unavailable`. An error that is neither PostgreSQL's nor its connection's (a bug, such as a
 * TypeError) is left as it is.
 */
export function postgresFailure(error: unknown, what: string): Error {
  if (error instanceof StoreError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const state = sqlState(error);
  if (state === UNIQUE_VIOLATION)
    return new StoreError('duplicate', 'A record with this key exists.', { cause: error });
  if (state === DISK_FULL)
    return new StoreError('full', `The disk of the PostgreSQL server is full: ${what} refused.`, {
      cause: error,
    });
  if (state !== undefined && LOST_TO_ANOTHER.has(state))
    return new StoreError('conflict', `PostgreSQL refused ${what}: ${error.message}`, {
      cause: error,
    });
  if (state !== undefined || isConnectionFailure(error) || error.constructor === Error)
    return new StoreError(
      'unavailable',
      `PostgreSQL failed: ${what}: ${state === undefined ? '' : `(${state}) `}${error.message}`,
      { cause: error },
    );
  return error;
}
