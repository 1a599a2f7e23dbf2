import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MissingPeerDependencyError } from '../packaging/optional-peer.js';
import { DEFAULT_DATABASE_PATH } from '../token-server/load-config.js';

/**
 * `init`'s last step: the Token Server's SQLite database, created where the server will look for
 * it (TOKEN_SERVER_DATABASE, else data/token-server.db), because the server itself never creates
 * a missing database without being told that this is a first start. Says what it did, in a line.
 */
export async function createDatabaseIfMissing(
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string> {
  if (env.REDIS_URL !== undefined && env.REDIS_URL !== '') {
    return 'REDIS_URL is set: the Token Server keeps its data in Redis, no database file is made.';
  }
  const path = resolve(cwd, env.TOKEN_SERVER_DATABASE ?? DEFAULT_DATABASE_PATH);
  if (existsSync(path)) return `Kept the existing database ${path}`;
  try {
    const { SqliteStore } = await import('../store/sqlite-store.js');
    const store = new SqliteStore(path, { create: true });
    await store.close();
    return `Created the database ${path} (SQLite; back it up with \`otp-login-qr backup\`)`;
  } catch (error) {
    if (error instanceof MissingPeerDependencyError) {
      return (
        'better-sqlite3 is not installed, so no database was made. Install it (npm install ' +
        'better-sqlite3) and run init again, or start the Token Server the first time with ' +
        'TOKEN_SERVER_CREATE_DATABASE=1.'
      );
    }
    throw error;
  }
}
