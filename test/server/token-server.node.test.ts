import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { LOGGER_REDACTIONS } from '../../src/server/token-server/request-log.js';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTestDevice } from '../support/test-device.js';
import { nothingHappensFor, until } from '../support/until.js';
import { decodeEnrollmentPayload, TRANSACTION_ID_PATTERN } from '../../src/protocol/index.js';
import { BASE, OTHER_SECRET, testConfig, TokenServerFixture } from './token-server-fixture.js';

/** A well-formed transaction id (a UUID v4) that no login ever had. */
const NEVER_ISSUED_TRANSACTION = '3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834';

let fixture: TokenServerFixture;
beforeEach(() => {
  fixture = new TokenServerFixture();
});
afterEach(async () => {
  await fixture.server.close();
});

describe('a website starts a login (initialize)', () => {
  it("answers in Onegini's shape, with an OTP that decodes to the transaction", async () => {
    const response = await fixture.relyingParty('/authenticate/user', {
      method: 'POST',
      body: 'type=otp&callback_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&message=Log+in+to+Demo',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'auth_method',
      'otp',
      'time_to_live',
      'transaction_id',
    ]);
    assert.match(String(body.transaction_id), TRANSACTION_ID_PATTERN);
    assert.equal(body.time_to_live, 60_000);
    assert.equal(body.auth_method, 'otp');
    assert.match(String(body.otp), /^1\d{78}$/);
  });

  it('refuses wrong or missing client credentials with 401 invalid_client', async () => {
    for (const init of [{ secret: 'wrong' }, { clientId: 'nobody' }]) {
      const response = await fixture.relyingParty('/authenticate/user', {
        method: 'POST',
        body: 'type=otp',
        ...init,
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    }
    const anonymous = await fixture.fetch(
      new Request(`${BASE}/oauth/api/v4/authenticate/user`, { method: 'POST' }),
    );
    assert.equal(anonymous.status, 401);
  });

  it("refuses bad requests with Onegini's error codes, and stores nothing", async () => {
    const cases: [Record<string, string>, number, number][] = [
      [{ type: 'push' }, 404, 3005],
      [{ message: 'x'.repeat(156) }, 400, 1005],
      [{ callback_uri: 'https://evil.example/steal' }, 400, 1010],
      [{ callback_uri: 'not a url' }, 400, 1003],
      [{ ip_address: '999.1.1.1' }, 400, 1003],
      [{ language_code: '<script>' }, 400, 1003],
      [{ user_id: 'alice' }, 400, 1003],
      [{ unknown_field: 'x' }, 400, 1003],
    ];
    for (const [fields, status, code] of cases) {
      const body = new URLSearchParams({
        type: 'otp',
        callback_uri: 'http://127.0.0.1:9/callback',
        ...fields,
      });
      const response = await fixture.relyingParty('/authenticate/user', {
        method: 'POST',
        body: body.toString(),
      });
      assert.equal(response.status, status, JSON.stringify(fields));
      assert.equal(
        ((await response.json()) as { error_code: number }).error_code,
        code,
        JSON.stringify(fields),
      );
    }
  });

  it('refuses a body over the size cap', async () => {
    const response = await fixture.relyingParty('/authenticate/user', {
      method: 'POST',
      body: `type=otp&message=${'x'.repeat(20_000)}`,
    });
    assert.equal(response.status, 413);
  });

  it('refuses a body that declares more than the cap, by its Content-Length alone', async () => {
    const response = await fixture.relyingParty('/authenticate/user', {
      method: 'POST',
      headers: { 'Content-Length': '20000' },
      body: 'type=otp',
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: string }).error, 'request_too_large');
  });
});

describe('the whole flow: link a phone, log in, accept', () => {
  it('moves pending → scanned → accepted, and the website learns the user', async () => {
    const phone = await fixture.enrollDevice('alice');
    const login = await fixture.initialize({
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    });
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'pending');

    const redeemed = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.body.site, 'Demo Bank');
    assert.equal(redeemed.body.message, 'Log in to Demo Bank');
    assert.equal(redeemed.body.browser, 'Firefox 128');
    assert.equal(redeemed.body.os, 'Linux');
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'scanned');

    const answered = await fixture.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
      answer: 'accept',
    });
    assert.deepEqual(answered.body, { status: 'accepted' });

    const result = await fixture.result(login.transaction_id);
    assert.equal(result.body.status, 'accepted');
    assert.equal(result.body.is_authenticated, true);
    assert.equal(result.body.user_id, 'alice');
    assert.equal(result.body.not_authenticated_reason, undefined);
  });

  it('records a deny as not_accepted', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    await fixture.mobile(phone, `/transactions/${login.transaction_id}/answer`, { answer: 'deny' });

    const result = await fixture.result(login.transaction_id);
    assert.equal(result.body.status, 'denied');
    assert.equal(result.body.is_authenticated, false);
    assert.deepEqual(result.body.not_authenticated_reason, {
      reason: 'not_accepted',
      description: 'The user denied the request.',
    });
  });

  it('redeems an OTP once (the same phone may ask again), and answers once', async () => {
    const phone = await fixture.enrollDevice();
    const otherPhone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    const first = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    // The first response was lost on the phone's network: the same phone gets the same details.
    const again = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const other = await fixture.mobile(otherPhone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(other.status, 409);
    assert.equal(other.body.error_code, 9029);

    const early = await fixture.initialize();
    const notRedeemed = await fixture.mobile(
      phone,
      `/transactions/${early.transaction_id}/answer`,
      { answer: 'accept' },
    );
    assert.equal(notRedeemed.body.error_code, 8053);

    await fixture.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
      answer: 'accept',
    });
    const second = await fixture.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
      answer: 'deny',
    });
    assert.equal(second.body.error_code, 9029);
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'accepted');
    const afterAnswer = await fixture.mobile(
      phone,
      `/transactions/${login.transaction_id}/redeem`,
      { otp: login.code },
    );
    assert.equal(afterAnswer.body.error_code, 9029);
  });

  it('treats a wrong OTP as an unknown request', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    const guess = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: '0'.repeat(32),
    });
    assert.equal(guess.status, 404);
    assert.equal(guess.body.error_code, 10013);
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'pending');
  });

  it('expires: no redemption after the time to live, and the website sees expired', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    fixture.now += 60_000;
    const late = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(late.status, 410);
    assert.equal(late.body.error_code, 10100);
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'expired');
  });

  it("keeps one client's transactions from another client", async () => {
    const login = await fixture.initialize();
    const response = await fixture.relyingParty(
      `/authenticate/transaction/${login.transaction_id}`,
      {
        clientId: 'other',
        secret: 'other-secret-that-is-long-enough-0123456789',
      },
    );
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error_code: number }).error_code, 3004);
  });
});

describe('linking a phone with the name the website gives the account', () => {
  it('gives the phone the display name with its enrollment', async () => {
    const started = await fixture.relyingParty('/enrollments', {
      method: 'POST',
      body: new URLSearchParams({
        user_id: 'u-7f3a9c21',
        display_name: 'Alice Example',
      }).toString(),
    });
    assert.equal(started.status, 200);
    const { code } = (await started.json()) as { code: string };
    const phone = await createTestDevice();
    const completed = await fixture.completeEnrollment(phone, decodeEnrollmentPayload(code));
    assert.equal(completed.status, 201);
    const body = (await completed.json()) as Record<string, unknown>;
    assert.equal(body['user_id'], 'u-7f3a9c21');
    assert.equal(body['display_name'], 'Alice Example');
    // Without one, the phone is told so: null.
    const plain = await fixture.completeEnrollment(
      await createTestDevice(),
      await fixture.startEnrollment('bob'),
    );
    assert.equal(((await plain.json()) as Record<string, unknown>)['display_name'], null);
  });

  it('refuses a display name that is empty, too long, padded, or could read as something else', async () => {
    for (const displayName of [
      '',
      ' Alice',
      'Alice\u0007',
      'moc.knab@\u202Eeciffo',
      'Alice\u200DExample',
      'x'.repeat(65),
    ]) {
      const started = await fixture.relyingParty('/enrollments', {
        method: 'POST',
        body: new URLSearchParams({ user_id: 'carol', display_name: displayName }).toString(),
      });
      assert.equal(started.status, 400, JSON.stringify(displayName));
      const body = (await started.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, /display_name/);
    }
  });
});

describe('the name a phone gives itself', () => {
  it('refuses one that could read as something else, and the code still links the phone', async () => {
    const enrollment = await fixture.startEnrollment('dave');
    for (const deviceName of ['', 'Pixel\u202E8', 'Pixel  8', '\u200B', 'x'.repeat(81)]) {
      const phone = await createTestDevice();
      const refused = await fixture.completeEnrollment(
        phone,
        enrollment,
        phone.publicJwk,
        deviceName,
      );
      assert.equal(refused.status, 400, JSON.stringify(deviceName));
      const body = (await refused.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, /device_name/);
    }
    const phone = await createTestDevice();
    const linked = await fixture.completeEnrollment(phone, enrollment, phone.publicJwk, 'Pixel 8');
    assert.equal(linked.status, 201);
  });
});

describe('the long-poll wait on a result', () => {
  it('answers as soon as the status changes', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    const waiting = fixture.result(login.transaction_id, '?wait=20&status=pending');
    await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    const woken = await waiting;
    assert.equal(woken.body.status, 'scanned');
    assert.equal(fixture.server.waiter.size, 0);
  });

  it('answers at once when the status already differs', async () => {
    const login = await fixture.initialize();
    const result = await fixture.result(login.transaction_id, '?wait=20&status=scanned');
    assert.equal(result.body.status, 'pending');
  });

  it('refuses a wait or status that is not one', async () => {
    const login = await fixture.initialize();
    assert.equal((await fixture.result(login.transaction_id, '?wait=soon')).status, 400);
    assert.equal((await fixture.result(login.transaction_id, '?wait=1&status=done')).status, 400);
  });

  it('is answered when the server shuts down', async () => {
    const login = await fixture.initialize();
    const waiting = fixture.result(login.transaction_id, '?wait=20&status=pending');
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the wait');
    fixture.server.waiter.releaseAll();
    // Released, not timed out: the wait is gone at once, 20 s before its end.
    assert.equal(fixture.server.waiter.size, 0);
    assert.equal((await waiting).body.status, 'pending');
  });
});

describe('signed mobile requests', () => {
  it('refuses a replayed request', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    const first = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(first.status, 200);
    const replayed = await fixture.fetch(first.replay);
    assert.equal(replayed.status, 401);
    assert.equal(((await replayed.json()) as { error_code: number }).error_code, 10015);
  });

  it('refuses a signature made with another key', async () => {
    const phone = await fixture.enrollDevice();
    const forger = await createTestDevice();
    forger.deviceId = phone.deviceId;
    const login = await fixture.initialize();
    const forged = await fixture.mobile(forger, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error_code, 10015);
    assert.equal((await fixture.result(login.transaction_id)).body.status, 'pending');
  });

  it('refuses a stale timestamp', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize();
    const stale = await fixture.mobile(
      phone,
      `/transactions/${login.transaction_id}/redeem`,
      { otp: login.code },
      {
        timestamp: fixture.now - 10 * 60_000,
      },
    );
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error_code, 9031);
  });

  it('refuses a revoked device', async () => {
    const phone = await fixture.enrollDevice();
    const revoked = await fixture.relyingParty(`/devices/${phone.deviceId}`, { method: 'DELETE' });
    assert.equal(revoked.status, 204);
    const login = await fixture.initialize();
    const refused = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error_code, 9002);
  });

  it('uses an enrollment code once', async () => {
    const enrollment = await fixture.startEnrollment('alice');
    const first = await fixture.completeEnrollment(await createTestDevice(), enrollment);
    assert.equal(first.status, 201);
    const again = await fixture.completeEnrollment(await createTestDevice(), enrollment);
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error_code: number }).error_code, 9016);
  });

  it('refuses an enrollment key with a private part', async () => {
    const device = await createTestDevice();
    const withPrivatePart = { ...device.publicJwk, d: 'A'.repeat(43) };
    const response = await fixture.completeEnrollment(
      device,
      await fixture.startEnrollment('alice'),
      withPrivatePart,
    );
    assert.equal(response.status, 401);
  });
});

describe('second factor and number matching', () => {
  it("lets only the named user's device answer a second-factor request", async () => {
    await fixture.enrollDevice('alice');
    const bob = await fixture.enrollDevice('bob');
    const login = await fixture.initialize({ type: 'second_factor', user_id: 'alice' });
    const refused = await fixture.mobile(bob, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error_code, 9021);
  });

  it('tells the phone which logins are a second factor, so that its advice on a refusal fits', async () => {
    const phone = await fixture.enrollDevice('alice');
    const secondFactor = await fixture.initialize({ type: 'second_factor', user_id: 'alice' });
    const passwordless = await fixture.initialize({ type: 'otp' });

    const redeem = (login: { transaction_id: string; code: string }) =>
      fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, { otp: login.code });
    assert.equal((await redeem(secondFactor)).body.second_factor, true);
    assert.equal((await redeem(passwordless)).body.second_factor, false);
  });

  it('refuses a second-factor request for a user without a device', async () => {
    const response = await fixture.relyingParty('/authenticate/user', {
      method: 'POST',
      body: 'type=second_factor&callback_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&user_id=carol',
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error_code: number }).error_code, 1001);
  });

  it('denies an accept with the wrong number, as invalid_answer', async () => {
    const phone = await fixture.enrollDevice();
    const login = await fixture.initialize({ type: 'otp_match' });
    assert.match(String(login.number_match_code), /^\d{2}$/);
    const redeemed = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    const choices = redeemed.body.number_match_choices as string[];
    assert.equal(choices.length, 3);
    assert.ok(choices.includes(String(login.number_match_code)));
    const wrong = choices.find((choice) => choice !== login.number_match_code) ?? '00';
    const answered = await fixture.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
      answer: 'accept',
      number: wrong,
    });
    assert.deepEqual(answered.body, { status: 'denied' });
    const result = await fixture.result(login.transaction_id);
    assert.equal(
      (result.body.not_authenticated_reason as { reason: string }).reason,
      'invalid_answer',
    );
  });
});

describe('operations', () => {
  it('reports health and readiness', async () => {
    assert.equal((await fixture.fetch(new Request(`${BASE}/healthz`))).status, 200);
    assert.equal((await fixture.fetch(new Request(`${BASE}/readyz`))).status, 200);
  });
});

describe('rate limits', () => {
  it('slows down one phone address on the mobile API with 429 and Retry-After, and serves others', async () => {
    const limited = new TokenServerFixture(undefined, {
      rateLimits: {
        perIp: { points: 3, durationSeconds: 60 },
        perClient: { points: 1000, durationSeconds: 60 },
      },
    });
    const redeemFrom = (ip: string) =>
      limited.fetch(
        new Request(`${BASE}/api/mobile/v1/transactions/${NEVER_ISSUED_TRANSACTION}/redeem`, {
          method: 'POST',
          headers: { 'x-test-ip': ip, Origin: 'https://scan.example' },
          body: '{}',
        }),
      );
    try {
      for (let i = 0; i < 3; i += 1) assert.equal((await redeemFrom('198.51.100.1')).status, 401);
      const slowed = await redeemFrom('198.51.100.1');
      assert.equal(slowed.status, 429);
      assert.match(slowed.headers.get('retry-after') ?? '', /^\d+$/);
      const body = (await slowed.json()) as { error: string; error_code: number };
      assert.deepEqual([body.error, body.error_code], ['slow_down', 10101]);
      // The scanner app can read it: CORS headers on the 429, Retry-After exposed.
      assert.equal(slowed.headers.get('access-control-allow-origin'), 'https://scan.example');
      assert.match(slowed.headers.get('access-control-expose-headers') ?? '', /Retry-After/i);
      assert.match(slowed.headers.get('access-control-expose-headers') ?? '', /\bDate\b/i);
      assert.equal((await redeemFrom('198.51.100.2')).status, 401);
    } finally {
      await limited.server.close();
    }
  });

  it('counts a /64 or a /24 as one on the mobile API, so that rotating addresses do not escape it', async () => {
    const limited = new TokenServerFixture(undefined, {
      rateLimits: {
        perIp: { points: 3, durationSeconds: 60 },
        perClient: { points: 1000, durationSeconds: 60 },
        perNetwork: { points: 5, durationSeconds: 60 },
      },
    });
    const redeemFrom = async (ip: string) =>
      (
        await limited.fetch(
          new Request(`${BASE}/api/mobile/v1/transactions/${NEVER_ISSUED_TRANSACTION}/redeem`, {
            method: 'POST',
            headers: { 'x-test-ip': ip },
            body: '{}',
          }),
        )
      ).status;
    try {
      // One IPv6 host, a new address of its /64 for every call: each address is under its 3.
      const statuses = [];
      for (let host = 1; host <= 6; host += 1)
        statuses.push(await redeemFrom(`2001:db8:1:2::${host}`));
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      assert.equal(await redeemFrom('2001:db8:1:3::1'), 401, 'another /64 is served');
      // The same for IPv4, by /24, with IPv4-mapped IPv6 counted as IPv4.
      for (let host = 1; host <= 5; host += 1)
        assert.equal(await redeemFrom(`203.0.113.${host}`), 401);
      assert.equal(await redeemFrom('::ffff:203.0.113.77'), 429);
      assert.equal(await redeemFrom('203.0.114.1'), 401);
    } finally {
      await limited.server.close();
    }
  });

  it('limits each client on the relying-party API, not its address', async () => {
    const limited = new TokenServerFixture(undefined, {
      rateLimits: {
        perIp: { points: 1, durationSeconds: 60 },
        perClient: { points: 2, durationSeconds: 60 },
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await limited.relyingParty('/users/alice/devices', {
          headers: { 'x-test-ip': '203.0.113.9' },
        });
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await limited.server.close();
    }
  });

  it('refuses a client id that keeps getting its secret wrong from an address, even with the right one', async () => {
    const limited = new TokenServerFixture(undefined, {
      rateLimits: {
        perIp: { points: 1000, durationSeconds: 60 },
        perClient: { points: 1000, durationSeconds: 60 },
        failedAuthPerIp: { points: 3, durationSeconds: 300 },
      },
    });
    const from = (ip: string, secret?: string) =>
      limited.relyingParty('/users/alice/devices', {
        headers: { 'x-test-ip': ip },
        ...(secret === undefined ? {} : { secret }),
      });
    const asOther = (ip: string) =>
      limited.relyingParty('/users/alice/devices', {
        headers: { 'x-test-ip': ip },
        clientId: 'other',
        secret: OTHER_SECRET,
      });
    try {
      for (let i = 0; i < 3; i += 1) assert.equal((await from('192.0.2.66', 'guess')).status, 401);
      assert.equal((await from('192.0.2.66')).status, 429);
      assert.equal((await from('192.0.2.67')).status, 200);
      // Another website behind the same address is not locked out by its neighbour's guesses.
      assert.equal((await asOther('192.0.2.66')).status, 200);
    } finally {
      await limited.server.close();
    }
  });
});

describe("Onegini's callback", () => {
  it('posts {callback_uri, transaction_id} to the allow-listed URI once the user answers', async () => {
    const received: unknown[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({
          method: request.method,
          type: request.headers['content-type'],
          body: JSON.parse(body) as unknown,
        });
        response.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const address = receiver.address() as AddressInfo;
    const callbackUri = `http://127.0.0.1:${address.port}/callback`;
    const clients = testConfig().clients.map((client) => ({
      ...client,
      callbackUris: [callbackUri],
    }));
    const withReceiver = new TokenServerFixture(undefined, { clients });
    try {
      const phone = await withReceiver.enrollDevice();
      const login = await withReceiver.initialize({ callback_uri: callbackUri });
      await withReceiver.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
        otp: login.code,
      });
      assert.equal(received.length, 0, 'no callback before the answer');
      await withReceiver.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
        answer: 'deny',
      });
      await until(() => received.length > 0, 'the callback to arrive');
      await nothingHappensFor(100); // in case a second one comes
      assert.deepEqual(received, [
        {
          method: 'POST',
          type: 'application/json',
          body: { callback_uri: callbackUri, transaction_id: login.transaction_id },
        },
      ]);
    } finally {
      await withReceiver.server.close();
      receiver.close();
    }
  });
});

describe('the log', () => {
  it('has a line per request and never an OTP, secret, signature or credential', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info', redact: LOGGER_REDACTIONS },
      { write: (line: string) => lines.push(line) },
    );
    const logged = new TokenServerFixture(undefined, {}, logger);
    try {
      const phone = await logged.enrollDevice();
      const login = await logged.initialize();
      const redeemed = await logged.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
        otp: login.code,
      });
      await logged.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
        answer: 'accept',
      });

      const text = lines.join('\n');
      assert.ok(lines.length >= 5, 'one line per request');
      assert.match(text, /"route":"\/api\/mobile\/v1\/transactions\/:transactionId\/redeem"/);
      const signature = redeemed.replay.headers.get('request-signature') ?? 'missing';
      for (const secret of [
        login.code,
        login.otp,
        login.transaction_id,
        phone.deviceId,
        signature,
        'demo-secret',
      ]) {
        assert.ok(!text.includes(secret), `the log holds ${secret}`);
      }
    } finally {
      await logged.server.close();
    }
  });
});

describe('CORS on the mobile API', () => {
  it('allows the configured app origin and no other', async () => {
    const preflight = (origin: string) =>
      fixture.fetch(
        new Request(`${BASE}/api/mobile/v1/transactions/${NEVER_ISSUED_TRANSACTION}/redeem`, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type,request-signature',
          },
        }),
      );
    const allowed = await preflight('https://scan.example');
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://scan.example');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Request-Signature/i);
    const other = await preflight('https://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('guessing client secrets over many client ids', () => {
  it('locks the address once it failed ten times as often as one id may', async () => {
    const limited = new TokenServerFixture(undefined, {
      rateLimits: {
        perIp: { points: 1000, durationSeconds: 60 },
        perClient: { points: 1000, durationSeconds: 60 },
        failedAuthPerIp: { points: 2, durationSeconds: 300 },
      },
    });
    const guess = (clientId: string) =>
      limited.relyingParty('/users/alice/devices', {
        headers: { 'x-test-ip': '192.0.2.99' },
        clientId,
        secret: 'guess',
      });
    try {
      // Each id may fail twice; twenty failures over ten ids use up the address's share.
      for (let id = 0; id < 10; id += 1) {
        for (let i = 0; i < 2; i += 1) assert.equal((await guess(`client-${id}`)).status, 401);
      }
      assert.equal((await guess('client-new')).status, 429);
      const right = await limited.relyingParty('/users/alice/devices', {
        headers: { 'x-test-ip': '192.0.2.99' },
      });
      assert.equal(right.status, 429, 'the whole address is braked now');
    } finally {
      await limited.server.close();
    }
  });
});

describe('every answer of the Token Server', () => {
  it('says nosniff: successes, refusals, errors and unknown paths alike', async () => {
    const login = await fixture.initialize();
    const answers = [
      await fixture.relyingParty(`/authenticate/transaction/${login.transaction_id}`),
      await fixture.relyingParty('/authenticate/transaction/not-an-id'),
      await fixture.relyingParty('/users/alice/devices', { secret: 'wrong' }),
      await fixture.fetch(new Request(`${BASE}/nowhere`)),
      await fixture.fetch(new Request(`${BASE}/readyz`)),
      await fixture.fetch(
        new Request(`${BASE}/api/mobile/v1/transactions/${login.transaction_id}/redeem`, {
          method: 'POST',
          body: 'x'.repeat(20_000),
        }),
      ),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 404, 401, 404, 200, 413],
    );
    for (const answer of answers)
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  });
});
