import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { sha256Hex } from '../../src/server/security/hashing.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { TokenServerFixture } from './token-server-fixture.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-store-failure-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** A Token Server on a SQLite file, and the lines it logs. */
function serverOnFile(name: string) {
  const file = join(directory, `${name}.db`);
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  const tokenServer = new TokenServerFixture(new SqliteStore(file), {}, logger);
  return { tokenServer, file, lines };
}

/** 503 with Retry-After: the store failed, and the call may succeed later. */
function assertUnavailable(answer: { status: number; body: Record<string, unknown> }): void {
  assert.equal(answer.status, 503);
  assert.equal(answer.body['error'], 'temporarily_unavailable');
}

describe('the Token Server when its store fails', () => {
  it('answers 503 for a stored transaction it cannot read, logs it, and lets no phone answer it', async () => {
    const { tokenServer, file, lines } = serverOnFile('unreadable');
    const phone = await tokenServer.enrollDevice('alice');
    const login = await tokenServer.initialize();
    // Another program (or a damaged disk) changed the row.
    const db = new Database(file);
    db.prepare('UPDATE transactions SET data = ? WHERE key = ?').run(
      JSON.stringify({ state: 'accepted', userId: 'mallory' }),
      sha256Hex(login.transaction_id),
    );
    db.close();

    const result = await tokenServer.result(login.transaction_id);
    assertUnavailable(result);
    const redeemed = await tokenServer.mobile(
      phone,
      `/transactions/${login.transaction_id}/redeem`,
      {
        otp: login.code,
      },
    );
    assertUnavailable(redeemed);
    assert.ok(
      lines.some((line) => line.includes('"code":"unreadable"') && line.includes('store failed')),
      'the failure is logged with its code',
    );
    await tokenServer.server.close();
  });

  it('answers 503 with Retry-After once its store is closed', async () => {
    const { tokenServer } = serverOnFile('closed');
    await tokenServer.store.close();
    const response = await tokenServer.relyingParty('/authenticate/user', {
      method: 'POST',
      body: new URLSearchParams({
        type: 'otp',
        callback_uri: 'http://127.0.0.1:9/callback',
      }).toString(),
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
  });
});
