import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { describeStoreContract } from './store-contract.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-sqlite-'));
let file = '';
let count = 0;
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

describeStoreContract('SQLite', {
  create: () => {
    count += 1;
    file = join(directory, `store-${count}.db`);
    return Promise.resolve(new SqliteStore(file));
  },
  // A second connection to the same file, as a second process would have.
  second: () => Promise.resolve(new SqliteStore(file)),
});
