import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { shownDigest, type MobileRedeemResponse } from '../../src/protocol/index.js';
import { startTokenServerProcess } from '../support/token-server-process.js';
import { until } from '../support/until.js';
import { testConfig, TokenServerClient } from './token-server-fixture.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-crash-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('a SQLite-backed Token Server killed mid-flow', () => {
  it('keeps enrollments and live transactions across kill -9 and a restart', async () => {
    const configPath = join(directory, 'config.json');
    writeFileSync(configPath, JSON.stringify(testConfig()));
    const env = {
      TOKEN_SERVER_CONFIG: configPath,
      TOKEN_SERVER_DATABASE: join(directory, 'ts.db'),
      TOKEN_SERVER_CREATE_DATABASE: '1',
      LOG_LEVEL: 'error', // the test's callbacks go nowhere, on purpose
    };

    const first = await startTokenServerProcess(env);
    const client = new TokenServerClient(first.url, (request) => fetch(request));
    const phone = await client.enrollDevice('alice');
    const login = await client.initialize();
    const scanned = await client.initialize();
    client.now = Date.now();
    const details = await client.mobile(phone, `/transactions/${scanned.transaction_id}/redeem`, {
      otp: scanned.code,
    });

    await first.stop('SIGKILL');
    const second = await startTokenServerProcess(env);
    try {
      const restarted = new TokenServerClient(second.url, (request) => fetch(request));
      restarted.now = Date.now();
      assert.equal((await restarted.result(login.transaction_id)).body.status, 'pending');
      assert.equal((await restarted.result(scanned.transaction_id)).body.status, 'scanned');

      // The enrolled phone still signs in, and finishes both flows.
      const redeemed = await restarted.mobile(
        phone,
        `/transactions/${login.transaction_id}/redeem`,
        {
          otp: login.code,
        },
      );
      assert.equal(redeemed.status, 200);
      const answered = await restarted.mobile(
        phone,
        `/transactions/${scanned.transaction_id}/answer`,
        // What the phone was shown before the crash, which the store kept the digest of.
        { answer: 'accept', shown: await shownDigest(details.body as MobileRedeemResponse) },
      );
      assert.deepEqual(answered.body, { status: 'accepted' });
      assert.equal((await restarted.result(scanned.transaction_id)).body.user_id, 'alice');
    } finally {
      await second.stop();
    }
  });
});

describe('a Token Server asked to stop (SIGTERM)', () => {
  it('answers the waits it holds, then exits cleanly', async () => {
    const configPath = join(directory, 'config-stop.json');
    writeFileSync(configPath, JSON.stringify(testConfig()));
    const server = await startTokenServerProcess(
      {
        TOKEN_SERVER_CONFIG: configPath,
        TOKEN_SERVER_DATABASE: join(directory, 'stop.db'),
        TOKEN_SERVER_CREATE_DATABASE: '1',
        LOG_LEVEL: 'error',
      },
      undefined,
      { reportHeldWaits: true },
    );
    const seen: Response[] = [];
    const client = new TokenServerClient(server.url, async (request) => {
      const response = await fetch(request);
      seen.push(response);
      return response;
    });
    const login = await client.initialize();
    const waiting = client.result(login.transaction_id, '?wait=30&status=pending');
    await until(() => server.heldWaits() === 1, 'the server to hold the wait');

    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const answer = await waiting;
    const [code] = (await exited) as [number | null];

    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'pending');
    assert.equal(code, 0);
    // The answer closes its connection, so that the client does not send more on it.
    assert.equal(seen.at(-1)?.headers.get('connection'), 'close');
    assert.equal(seen[0]?.headers.get('connection'), 'keep-alive');
  });
});
