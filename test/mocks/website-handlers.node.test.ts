/*
 * `otp-login-qr/mocks` in Node: what test/contract does not cover (its stories are the kit's).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { install } from '@sinonjs/fake-timers';
import { setupServer } from 'msw/node';
import * as v from 'valibot';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import { SlowDownResponseSchema, StartLoginResponseSchema } from '../../src/protocol/index.js';

const ENDPOINT = 'http://site.test/otp-login';
const server = setupServer();

before(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
after(() => {
  server.close();
});

async function start(): Promise<{ id: string; cookie: string }> {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { Origin: 'http://site.test' },
  });
  const [cookie = ''] = (response.headers.get('set-cookie') ?? '').split(';');
  return { id: v.parse(StartLoginResponseSchema, await response.json()).id, cookie };
}

describe('otp-login-qr/mocks in Node', () => {
  it('keeps no cookie for the client: a poll must send the binding cookie back itself', async () => {
    server.resetHandlers(...otpLoginHandlers({ endpoint: ENDPOINT, scenario: 'pending' }));
    const { id, cookie } = await start();

    assert.equal((await fetch(`${ENDPOINT}/${id}?wait=0`)).status, 404);
    const polled = await fetch(`${ENDPOINT}/${id}?wait=0`, { headers: { Cookie: cookie } });
    assert.equal(polled.status, 200);
  });

  it('refuses confirmation codes that no phone would show', () => {
    assert.throws(
      () => otpLoginHandlers({ scenario: 'compare_code', compareCode: '12' }),
      TypeError,
    );
    assert.throws(
      () => otpLoginHandlers({ scenario: 'enter_code', presenceCode: 'abcdef' }),
      TypeError,
    );
  });

  it('slow_down: answers with the interval it was given, or the login’s own', async () => {
    for (const [options, interval] of [
      [{ interval: 3 }, 3],
      [{ interval: 3, slowDownInterval: 7 }, 7],
    ] as const) {
      server.resetHandlers(
        ...otpLoginHandlers({ endpoint: ENDPOINT, scenario: 'slow_down', ...options }),
      );
      const { id, cookie } = await start();
      const polled = await fetch(`${ENDPOINT}/${id}?wait=0`, { headers: { Cookie: cookie } });
      assert.equal(polled.status, 400);
      assert.deepEqual(v.parse(SlowDownResponseSchema, await polled.json()), {
        error: 'slow_down',
        interval,
      });
    }
  });

  it('holdPending: holds a status that has not changed for the wait asked, until the code runs out', async () => {
    const clock = install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      server.resetHandlers(
        ...otpLoginHandlers({
          endpoint: ENDPOINT,
          scenario: 'pending',
          holdPending: true,
          expiresIn: 10,
        }),
      );
      const { id, cookie } = await start();
      let answered = false;
      const held = fetch(`${ENDPOINT}/${id}?wait=20`, { headers: { Cookie: cookie } }).finally(
        () => (answered = true),
      );
      await clock.tickAsync(9_900);
      assert.equal(answered, false, 'held while the code is still good');
      await clock.tickAsync(100);
      assert.deepEqual(await (await held).json(), { status: 'expired' });
    } finally {
      clock.uninstall();
    }
  });

  it('refuses options with which it would answer what no website sends', () => {
    for (const options of [
      { interval: 601 },
      { interval: -1 },
      { expiresIn: 0 },
      { code: 'x'.repeat(17) },
      { redirectTo: '' },
      { slowDownInterval: Number.NaN },
      { retryAfter: 0 },
    ])
      assert.throws(() => otpLoginHandlers(options), TypeError, JSON.stringify(options));
  });
});
