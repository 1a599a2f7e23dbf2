import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './store-error.js';

/*
 * Opening the SQLite file, with what goes wrong said in plain words: SQLite's own messages
 * ("unable to open database file", "attempt to write a readonly database") do not say which file,
 * which folder, or what to do.
 */

/**
 * Opens `path` for the store. A file that does not exist is created only with `create`: a
 * Token Server that expects its database and finds none was moved, or lost its volume, and must
 * not start over empty without a word.
 */
export function openDatabaseFile(
  Database: typeof BetterSqlite3,
  path: string,
  create: boolean,
): BetterSqlite3.Database {
  if (path === ':memory:') return new Database(path);
  if (!existsSync(path)) {
    if (!create) {
      throw new StoreError(
        'unavailable',
        `The database file ${path} does not exist. If this is the first start, start once with ` +
          'TOKEN_SERVER_CREATE_DATABASE=1 to create it (`otp-login-qr init` creates it too, when ' +
          'it writes a new configuration). If it existed before, it was moved or deleted: restore ' +
          'it from a backup (`otp-login-qr backup` makes them) rather than start over, or every ' +
          'linked phone is lost.',
      );
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw plainOpenError(path, error);
    }
  }
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: !create });
    // The first statements that need to write: a read-only file or folder, or a lock, shows here.
    db.pragma('journal_mode = WAL');
    return db;
  } catch (error) {
    db?.close();
    throw plainOpenError(path, error);
  }
}

/** A failure to open or first write the file, as a StoreError that says what to look at. */
export function plainOpenError(path: string, error: unknown): StoreError {
  const raw = (error as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : '';
  const folder = dirname(path);
  const user = `this user (uid ${String(process.getuid?.() ?? '?')})`;
  let message: string;
  if (code === 'EACCES' || code === 'EROFS') {
    message = `The folder ${folder} of the database file cannot be created by ${user}.`;
  } else if (
    code.startsWith('SQLITE_READONLY') ||
    (code === 'SQLITE_CANTOPEN' && !writable(folder))
  ) {
    message =
      `The database file ${path} or its folder is read-only for ${user}. The Token Server ` +
      'writes to both (SQLite keeps -wal and -shm files beside the database).';
  } else if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    message =
      `The database file ${path} is locked by another program (a tool holding a write ` +
      'transaction, or a copy of the file open on a network file system, which SQLite cannot share).';
  } else if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    message = `The file ${path} is not a SQLite database, or it is damaged. Restore it from a backup.`;
  } else if (code.startsWith('SQLITE_CANTOPEN')) {
    message = `The database file ${path} cannot be opened by ${user}: check its permissions.`;
  } else {
    message = `The database file ${path} cannot be opened: ${(error as Error).message}`;
  }
  return new StoreError('unavailable', `${message}${code === '' ? '' : ` (${code})`}`, {
    cause: error,
  });
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
