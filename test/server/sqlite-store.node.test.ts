import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { describeStoreContract, type StoredKind } from './store-contract.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-sqlite-'));
let file = '';
let count = 0;
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The row each kind of record is kept in (see SqliteStore's schema). */
const ROW_OF: Record<StoredKind, string> = {
  transaction: 'UPDATE transactions SET data = ? WHERE key = ?',
  enrollment: 'UPDATE enrollments SET data = ? WHERE key = ?',
  device: 'UPDATE devices SET data = ? WHERE id = ?',
};

describeStoreContract('SQLite', {
  create: () => {
    count += 1;
    file = join(directory, `store-${count}.db`);
    return Promise.resolve(new SqliteStore(file));
  },
  // A second connection to the same file, as a second process would have.
  second: () => Promise.resolve(new SqliteStore(file)),
  // Another program writing to the file: a connection of its own.
  overwrite: (kind, key, text) => {
    const db = new Database(file);
    try {
      db.prepare(ROW_OF[kind]).run(text, key);
    } finally {
      db.close();
    }
    return Promise.resolve();
  },
});
