// An operator whose SQLite database is not what the Token Server expects hears which file and
// what to do, not SQLite's "unable to open database file"; and a missing database is never
// replaced by an empty one unless this is a first start.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { StoreError } from '../../src/server/store/store-error.js';
import { createDatabaseIfMissing } from '../../src/server/cli/create-database.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-sqlite-open-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

function refusal(open: () => unknown): StoreError {
  try {
    open();
  } catch (error) {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.code, 'unavailable');
    return error;
  }
  assert.fail('expected the store to refuse to open');
}

describe('opening the SQLite database', () => {
  it('refuses a missing file unless told to create it, and creates nothing', () => {
    const path = join(directory, 'missing', 'token-server.db');
    const error = refusal(() => new SqliteStore(path, { create: false }));
    assert.match(error.message, /does not exist/);
    assert.match(error.message, /restore it from a backup/);
    assert.equal(existsSync(path), false);
  });

  it('creates it on a first start, and opens it again without being told', async () => {
    const path = join(directory, 'first', 'token-server.db');
    await new SqliteStore(path, { create: true }).close();
    assert.equal(existsSync(path), true);
    await new SqliteStore(path, { create: false }).close();
  });

  it('names a file that is not a SQLite database', () => {
    const path = join(directory, 'not-a-database.db');
    writeFileSync(
      path,
      'This is a text file that someone put where the database was.\n'.repeat(200),
    );
    const error = refusal(() => new SqliteStore(path, { create: false }));
    assert.match(error.message, /not-a-database\.db is not a SQLite database, or it is damaged/);
    assert.match(error.message, /SQLITE_NOTADB/);
  });
});

describe('init, on a first start', () => {
  it('creates the database where the Token Server will look, and keeps one that exists', async () => {
    const cwd = mkdtempSync(join(directory, 'site-'));
    const made = await createDatabaseIfMissing({}, cwd);
    assert.match(made, /Created the database .*data\/token-server\.db/);
    assert.equal(existsSync(join(cwd, 'data', 'token-server.db')), true);
    assert.match(await createDatabaseIfMissing({}, cwd), /Kept the existing database/);
    const elsewhere = await createDatabaseIfMissing({ TOKEN_SERVER_DATABASE: 'db/ts.db' }, cwd);
    assert.match(elsewhere, /db\/ts\.db/);
    assert.equal(existsSync(join(cwd, 'db', 'ts.db')), true);
  });

  it('makes no file for a Token Server on Redis', async () => {
    const cwd = mkdtempSync(join(directory, 'redis-site-'));
    assert.match(
      await createDatabaseIfMissing({ REDIS_URL: 'redis://127.0.0.1:6379' }, cwd),
      /Redis/,
    );
    assert.equal(existsSync(join(cwd, 'data')), false);
  });
});
