import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { until } from '../support/until.js';
import { OTHER_SECRET, TokenServerFixture } from './token-server-fixture.js';
import { randomTransactionId } from '../support/random-hex.js';

let fixture: TokenServerFixture;
beforeEach(() => {
  fixture = new TokenServerFixture();
});
afterEach(async () => {
  await fixture.server.close();
});

interface BatchAnswer {
  transactions: { transaction_id: string; status: string; is_authenticated: boolean }[];
  unknown: string[];
}

async function waitForAny(
  body: unknown,
  init: { clientId?: string; secret?: string; contentType?: string } = {},
): Promise<{ status: number; body: BatchAnswer & { error_code?: number } }> {
  const response = await fixture.relyingParty('/authenticate/transactions/wait', {
    method: 'POST',
    headers: { 'Content-Type': init.contentType ?? 'application/json' },
    body: JSON.stringify(body),
    ...(init.clientId === undefined ? {} : { clientId: init.clientId, secret: init.secret ?? '' }),
  });
  return { status: response.status, body: (await response.json()) as BatchAnswer };
}

describe('the batched wait: a website backend waits on many logins with one request', () => {
  it('answers as soon as one of them changes, with that one only', async () => {
    const phone = await fixture.enrollDevice();
    const [first, second] = await Promise.all([fixture.initialize(), fixture.initialize()]);
    const waiting = waitForAny({
      wait: 20,
      transactions: { [first.transaction_id]: 'pending', [second.transaction_id]: 'pending' },
    });
    await until(() => fixture.server.waiter.size === 2, 'one held request, a wait entry per login');
    await fixture.mobile(phone, `/transactions/${second.transaction_id}/redeem`, {
      otp: second.code,
    });
    const answer = await waiting;
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.body.transactions.map(({ transaction_id, status }) => [transaction_id, status]),
      [[second.transaction_id, 'scanned']],
    );
    assert.deepEqual(answer.body.unknown, []);
    assert.equal(fixture.server.waiter.size, 0, 'every wait entry is released');
  });

  it('answers at once for a status that already differs, and at the deadline with nothing', async () => {
    const login = await fixture.initialize();
    const now = await waitForAny({ wait: 20, transactions: { [login.transaction_id]: 'scanned' } });
    assert.equal(now.body.transactions[0]?.status, 'pending');
    const started = Date.now();
    const idle = await waitForAny({ wait: 1, transactions: { [login.transaction_id]: 'pending' } });
    assert.deepEqual(idle.body, { transactions: [], unknown: [] });
    assert.ok(Date.now() - started >= 900, 'held until the deadline');
  });

  it("tells unknown ids apart without revealing another client's logins", async () => {
    const mine = await fixture.initialize();
    const theirs = await fixture.initialize(
      { callback_uri: 'http://127.0.0.1:9/other-callback' },
      'other',
    );
    const never = randomTransactionId();
    const answer = await waitForAny({
      wait: 20,
      transactions: {
        [mine.transaction_id]: 'pending',
        [theirs.transaction_id]: 'pending',
        [never]: 'pending',
      },
    });
    assert.deepEqual(answer.body.transactions, []);
    assert.deepEqual(new Set(answer.body.unknown), new Set([theirs.transaction_id, never]));
    const asOther = await waitForAny(
      { wait: 0, transactions: { [theirs.transaction_id]: 'scanned' } },
      { clientId: 'other', secret: OTHER_SECRET },
    );
    assert.equal(asOther.body.transactions[0]?.status, 'pending');
  });

  it('refuses a body that is not one, and changes nothing', async () => {
    const login = await fixture.initialize();
    const id = login.transaction_id;
    const tooMany = Object.fromEntries(
      Array.from({ length: 251 }, () => [randomTransactionId(), 'pending']),
    );
    const cases: [unknown, string | undefined][] = [
      [{ wait: 5, transactions: { [id]: 'pending' } }, 'application/x-www-form-urlencoded'],
      [{ wait: '5', transactions: { [id]: 'pending' } }, undefined],
      [{ wait: 5, transactions: { [id]: 'done' } }, undefined],
      [{ wait: 5, transactions: { 'not-an-id': 'pending' } }, undefined],
      [{ wait: 5, transactions: {} }, undefined],
      [{ wait: 5, transactions: tooMany }, undefined],
      [{ wait: 5, transactions: { [id]: 'pending' }, extra: 1 }, undefined],
      [[id], undefined],
    ];
    for (const [body, contentType] of cases) {
      const answer = await waitForAny(body, contentType === undefined ? {} : { contentType });
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.body.error_code, 1003);
    }
    assert.equal((await fixture.result(id)).body.status, 'pending');
  });

  it('needs the client credentials', async () => {
    const answer = await waitForAny(
      { wait: 0, transactions: { [randomTransactionId()]: 'pending' } },
      { clientId: 'demo', secret: 'wrong' },
    );
    assert.equal(answer.status, 401);
  });

  it('is answered when the server shuts down', async () => {
    const login = await fixture.initialize();
    const waiting = waitForAny({ wait: 20, transactions: { [login.transaction_id]: 'pending' } });
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the wait');
    fixture.server.waiter.releaseAll();
    // Released, not timed out: the wait is gone at once, 20 s before its end.
    assert.equal(fixture.server.waiter.size, 0);
    const answer = await waiting;
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { transactions: [], unknown: [] });
  });
});
