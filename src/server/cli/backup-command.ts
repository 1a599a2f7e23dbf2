import { chmodSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { importOptionalPeer } from '../packaging/optional-peer.js';

export const BACKUP_USAGE = `otp-login-qr backup DEST [--database FILE]

Copies the Token Server's SQLite database to DEST with SQLite's online backup, which is safe
while the server runs. --database defaults to TOKEN_SERVER_DATABASE, else data/token-server.db.`;

export async function runBackup(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { database: { type: 'string' }, force: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new TypeError('Give one file to write the backup to.');
  }
  const source = resolve(
    cwd,
    values.database ?? env.TOKEN_SERVER_DATABASE ?? 'data/token-server.db',
  );
  const destination = resolve(cwd, target);
  if (!existsSync(source)) throw new TypeError(`There is no database at ${source}.`);
  if (existsSync(destination) && !values.force) {
    throw new TypeError(`${destination} exists already; add --force to replace it.`);
  }
  const { default: Database } = await importOptionalPeer<{ default: typeof BetterSqlite3 }>(
    'better-sqlite3',
    'The backup of the SQLite store',
  );
  // fileMustExist: a typo in the path must not back up a new, empty database.
  const db = new Database(source, { fileMustExist: true, readonly: true });
  try {
    const { totalPages } = await db.backup(destination);
    // The copy holds what the database holds: readable by this user only, like the original.
    chmodSync(destination, 0o600);
    return `Backed up ${source} to ${destination} (${totalPages} pages).`;
  } finally {
    db.close();
  }
}
