import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeAuthenticationPayload,
  decodeQrPayload,
  encodeOneginiOtp,
  parseLoginStatusResponse,
} from '../../src/protocol/index.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import {
  beforeTheWaitEnds,
  CALLBACK_URI,
  scan,
  setUpCallbackOnlyKit,
  setUpKit,
  SITE,
  TestBrowser,
} from './kit-harness.js';
import { nothingHappensFor, until } from '../support/until.js';

const NOT_FOUND = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
};

describe('relying-party kit: start', () => {
  it('answers with the widget contract and an HttpOnly, SameSite=Strict binding cookie', async () => {
    const { kit } = setUpKit();
    const browser = new TestBrowser(kit);
    const { response, body } = await browser.start();
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(
      cookie,
      /^otp_login_binding=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; HttpOnly; SameSite=Strict$/,
    );
    assert.equal(body.interval, 0);
    assert.equal(body.expires_in, 60);
    assert.match(body.qr, /^HTTP:\/\/LOCALHOST:7003\/#1[0-9]{78}$/);
    const payload = decodeQrPayload(body.qr);
    assert.equal(payload.kind, 'authentication');
    assert.equal(body.same_device_url, `http://localhost:7003/#${body.qr.split('#')[1] ?? ''}`);
    // The login id is the website's own: it is not the Token Server's transaction id.
    assert.ok(!body.qr.includes(body.id));
  });

  it('on https, the cookie is Secure and __Host- prefixed', async () => {
    const { kit } = setUpKit({ publicOrigin: 'https://site.test' });
    const response = await kit.fetch(
      new Request('https://site.test/otp-login', {
        method: 'POST',
        headers: { Origin: 'https://site.test' },
      }),
    );
    assert.equal(response.status, 201);
    assert.match(
      response.headers.get('set-cookie') ?? '',
      /^__Host-otp_login_binding=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('shows the number-matching code of a number-matching type', async () => {
    const { kit } = setUpKit({
      login: { path: '/otp-login', type: 'otp_match', onLogin: () => ({ redirectTo: '/' }) },
    });
    const { body } = await new TestBrowser(kit).start();
    assert.match(body.code ?? '', /^[1-9][0-9]$/);
  });

  it('refuses a start from another origin, or without an Origin (CSRF), and sets no cookie', async () => {
    const { kit } = setUpKit();
    const variants: Record<string, string>[] = [
      {},
      { Origin: 'https://evil.example' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
      { Origin: 'null' },
      { Origin: 'null', 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of variants) {
      const response = await kit.fetch(
        new Request(`${SITE}/otp-login`, { method: 'POST', headers }),
        { clientIp: '198.51.100.7' },
      );
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('set-cookie'), null);
      assert.equal(((await response.json()) as { error: string }).error, 'forbidden');
    }
  });

  it('accepts `Origin: null` from a no-referrer page when Sec-Fetch-Site says same-origin', async () => {
    const { kit } = setUpKit();
    const response = await kit.fetch(
      new Request(`${SITE}/otp-login`, {
        method: 'POST',
        headers: { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
      }),
    );
    assert.equal(response.status, 201);
  });

  it('reuses a browser binding secret, so two tabs can each log in', async () => {
    const { kit } = setUpKit();
    const browser = new TestBrowser(kit);
    const first = await browser.start();
    const secret = browser.cookies.get('otp_login_binding');
    const second = await browser.start();
    assert.equal(browser.cookies.get('otp_login_binding'), secret);
    assert.equal((await browser.poll('/otp-login', first.body.id)).status, 200);
    assert.equal((await browser.poll('/otp-login', second.body.id)).status, 200);
  });
});

describe('relying-party kit: cookie binding', () => {
  it('without the cookie, or with another browser’s, a poll learns nothing and cannot log in', async () => {
    const { kit, tokenServer, logins } = setUpKit();
    const phone = await tokenServer.enrollDevice('alice');
    const victim = new TestBrowser(kit);
    const attacker = new TestBrowser(kit, '203.0.113.9');
    await attacker.start(); // the attacker has a binding cookie of their own
    const noCookie = new TestBrowser(kit, '203.0.113.10');
    const { body } = await victim.start();
    const answered = await scan(tokenServer, phone, body.qr);
    await answered.answer('accept');

    const unknown = await attacker.poll('/otp-login', 'AAAAAAAAAAAAAAAAAAAAAA');
    for (const intruder of [attacker, noCookie]) {
      const polled = await intruder.poll('/otp-login', body.id);
      assert.equal(polled.status, 404);
      assert.deepEqual(polled.body, NOT_FOUND);
      // The same answer as for an id that never existed.
      assert.deepEqual(polled.body, unknown.body);
      assert.equal(polled.response.headers.get('set-cookie'), null);
    }
    assert.deepEqual(logins, []);

    const own = await victim.poll('/otp-login', body.id);
    assert.deepEqual(own.body, { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(logins, ['alice']);
  });
});

describe('relying-party kit: status', () => {
  it('a held poll answers as soon as the phone scans (one long-poll a login on the Token Server)', async () => {
    const tokenServer = new TokenServerFixture();
    const { kit } = setUpKit(
      {
        tokenServer: {
          url: tokenServer.base,
          clientId: 'demo',
          clientSecret: 'demo-secret-that-is-long-enough-0123456789',
          longPoll: 'per-login',
          fetch: (request) => tokenServer.fetch(request),
        },
      },
      tokenServer,
    );
    const phone = await tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    const held = browser.poll('/otp-login', body.id, 60);
    await until(() => tokenServer.server.waiter.size === 1, 'the kit’s long-poll held');
    await scan(tokenServer, phone, body.qr);
    const polled = await beforeTheWaitEnds(held);
    assert.deepEqual(parseLoginStatusResponse(polled.body), { status: 'scanned' });
    assert.equal(kit.relyingParty.supportsLongPoll, true);
  });

  it('without long-poll, a held poll wakes up on the callback', async () => {
    const { kit, tokenServer, logins, reads } = setUpCallbackOnlyKit();
    const phone = await tokenServer.enrollDevice('bob');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    const scanned = await scan(tokenServer, phone, body.qr);
    assert.deepEqual((await browser.poll('/otp-login', body.id)).body, { status: 'scanned' });
    const held = browser.poll('/otp-login', body.id, 60);
    await until(
      () => reads.of(scanned.transactionId) === 2,
      'the held poll to wait for the callback',
    );
    await scanned.answer('accept');
    const callback = await kit.fetch(
      new Request(CALLBACK_URI, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ callback_uri: CALLBACK_URI, transaction_id: scanned.transactionId }),
      }),
    );
    assert.equal(callback.status, 204);
    const polled = await beforeTheWaitEnds(held);
    assert.deepEqual(polled.body, { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(logins, ['bob']);
  });

  it('works against an Onegini server: no status field, no long-poll parameters', async () => {
    const fixture = new TokenServerFixture();
    const seen: string[] = [];
    // Onegini's API: refuses unknown query parameters here, and has no `status` in the result.
    const onegini = async (request: Request): Promise<Response> => {
      const url = new URL(request.url);
      seen.push(url.search);
      if (url.pathname.endsWith('/transactions/wait')) return new Response('', { status: 404 });
      if (url.search !== '')
        return Response.json({ error: 'invalid_request', error_code: 1003 }, { status: 400 });
      const response = await fixture.fetch(request);
      const body = (await response.json()) as Record<string, unknown>;
      if (url.pathname.endsWith('/authenticate/user')) {
        // Onegini's otp: base64 of {"transaction_id", "otp"}, not the compact digits.
        const payload = decodeAuthenticationPayload(String(body['otp']));
        body['otp'] = encodeOneginiOtp(payload);
      } else delete body['status'];
      return Response.json(body, { status: response.status });
    };
    const { kit, logins } = setUpKit(
      {
        tokenServer: {
          url: fixture.base,
          clientId: 'demo',
          clientSecret: 'demo-secret-that-is-long-enough-0123456789',
          fetch: onegini,
        },
        upstreamPollMs: 50,
      },
      fixture,
    );
    const phone = await fixture.enrollDevice('carol');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    // The base64 form goes into the app URL's fragment as it is; the phone decodes it.
    assert.equal(decodeQrPayload(body.qr).format, 'onegini');
    assert.deepEqual((await browser.poll('/otp-login', body.id, 1)).body, { status: 'pending' });
    assert.equal(kit.relyingParty.supportsLongPoll, false);
    const scanned = await scan(fixture, phone, body.qr);
    await scanned.answer('accept');
    assert.deepEqual((await browser.poll('/otp-login', body.id, 5)).body, {
      status: 'accepted',
      redirect_to: '/account',
    });
    assert.deepEqual(logins, ['carol']);
    assert.ok(seen.includes('?wait=1&status=pending'));
  });

  it('reports a denial and logs nobody in', async () => {
    const { kit, tokenServer, logins } = setUpKit();
    const phone = await tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    await (await scan(tokenServer, phone, body.qr)).answer('deny');
    assert.deepEqual((await browser.poll('/otp-login', body.id)).body, { status: 'denied' });
    assert.deepEqual((await browser.poll('/otp-login', body.id)).body, { status: 'denied' });
    assert.deepEqual(logins, []);
  });

  it('a poll sooner than `interval` gets 400 slow_down', async () => {
    const { kit } = setUpKit({ interval: 5 });
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    assert.equal((await browser.poll('/otp-login', body.id)).status, 200);
    const fast = await browser.poll('/otp-login', body.id);
    assert.equal(fast.status, 400);
    assert.deepEqual(parseLoginStatusResponse(fast.body), { error: 'slow_down', interval: 5 });
  });

  it('a held poll counts toward `interval`: the next may follow at once', async () => {
    const { kit } = setUpKit({ interval: 1 });
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    assert.deepEqual((await browser.poll('/otp-login', body.id, 2)).body, { status: 'pending' });
    assert.deepEqual((await browser.poll('/otp-login', body.id, 0)).body, { status: 'pending' });
    assert.equal((await browser.poll('/otp-login', body.id, 0)).status, 400);
  });

  it('a second poll while one is held gets slow_down', async () => {
    const { kit, tokenServer } = setUpKit();
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    const controller = new AbortController();
    const held = browser.request(`/otp-login/${body.id}?wait=20`, { signal: controller.signal });
    await until(() => tokenServer.server.waiter.size === 1, 'the first poll held');
    const second = await browser.poll('/otp-login', body.id);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'slow_down');
    controller.abort();
    assert.equal((await held).status, 200);
  });

  it("an outsider's poll of a login's id changes nothing about its pace", async () => {
    const { kit, tokenServer } = setUpKit();
    const browser = new TestBrowser(kit);
    const outsider = new TestBrowser(kit, '203.0.113.9');
    const { body } = await browser.start();
    const controller = new AbortController();
    const held = browser.request(`/otp-login/${body.id}?wait=20`, { signal: controller.signal });
    await until(() => tokenServer.server.waiter.size === 1, 'the first poll held');
    assert.equal((await outsider.poll('/otp-login', body.id)).status, 404);
    // The owner's poll is still held: a second one is still too soon.
    const second = await browser.poll('/otp-login', body.id);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'slow_down');
    controller.abort();
    assert.equal((await held).status, 200);
  });

  it('too many polls of one login get 429 with Retry-After', async () => {
    const { kit } = setUpKit({
      rateLimits: { statusPerLogin: { points: 3, durationSeconds: 60 } },
    });
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    for (let i = 0; i < 3; i++)
      assert.equal((await browser.poll('/otp-login', body.id)).status, 200);
    const limited = await browser.poll('/otp-login', body.id);
    assert.equal(limited.status, 429);
    assert.match(limited.response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
    assert.equal(limited.body.error, 'slow_down');
  });

  it('too many requests from one IP get 429 with Retry-After, on start and on status', async () => {
    const { kit } = setUpKit({
      rateLimits: {
        startPerIp: { points: 2, durationSeconds: 60 },
        statusPerIp: { points: 2, durationSeconds: 60 },
      },
    });
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    await browser.start();
    const start = await browser.request('/otp-login', {
      method: 'POST',
      headers: { Origin: SITE },
    });
    assert.equal(start.status, 429);
    assert.ok(Number(start.headers.get('retry-after')) > 0);
    await browser.poll('/otp-login', body.id);
    await browser.poll('/otp-login', body.id);
    const polled = await browser.poll('/otp-login', 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(polled.status, 429);
    assert.ok(Number(polled.response.headers.get('retry-after')) > 0);
    // Another address is not affected.
    const other = new TestBrowser(kit, '198.51.100.8');
    assert.equal((await other.start()).response.status, 201);
  });

  it('counts starts per /64 and over all browsers, so that rotating addresses do not escape', async () => {
    const { kit } = setUpKit({
      rateLimits: {
        startPerIp: { points: 2, durationSeconds: 60 },
        startPerNetwork: { points: 3, durationSeconds: 60 },
        startOverall: { points: 5, durationSeconds: 60 },
      },
    });
    const startFrom = async (ip: string) =>
      (
        await new TestBrowser(kit, ip).request('/otp-login', {
          method: 'POST',
          headers: { Origin: SITE },
        })
      ).status;
    // One IPv6 host, a new address of its /64 each time: each address is under its 2.
    const statuses = [];
    for (let host = 1; host <= 4; host += 1)
      statuses.push(await startFrom(`2001:db8:7:7::${host}`));
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    // Other networks start, until all browsers together reach the overall cap of 5.
    assert.equal(await startFrom('198.51.100.8'), 201);
    assert.equal(await startFrom('192.0.2.8'), 201);
    assert.equal(await startFrom('203.0.113.8'), 429);
  });

  it('sets the session once: a replayed poll after accepted gets nothing', async () => {
    const { kit, tokenServer, logins } = setUpKit();
    const phone = await tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    await (await scan(tokenServer, phone, body.qr)).answer('accept');
    const accepted = await browser.poll('/otp-login', body.id);
    assert.deepEqual(accepted.body, { status: 'accepted', redirect_to: '/account' });
    assert.ok(accepted.response.headers.getSetCookie().includes('session=alice; Path=/; HttpOnly'));
    const replayed = await browser.poll('/otp-login', body.id);
    assert.equal(replayed.status, 404);
    assert.deepEqual(replayed.body, NOT_FOUND);
    assert.deepEqual(replayed.response.headers.getSetCookie(), []);
    assert.deepEqual(logins, ['alice']);
  });

  it('of racing polls after accepted, exactly one logs in', async () => {
    const { kit, tokenServer, logins } = setUpKit();
    const phone = await tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    await (await scan(tokenServer, phone, body.qr)).answer('accept');
    const polls = await Promise.all(
      Array.from({ length: 5 }, () => browser.poll('/otp-login', body.id)),
    );
    assert.equal(polls.filter((poll) => poll.body.status === 'accepted').length, 1);
    assert.deepEqual(logins, ['alice']);
  });

  it('refuses a malformed callback, and a callback for another URI', async () => {
    const { kit } = setUpKit();
    for (const body of [
      'nonsense',
      JSON.stringify({ callback_uri: 'http://x/', transaction_id: 'a' }),
    ]) {
      const response = await kit.fetch(
        new Request(CALLBACK_URI, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
          body,
        }),
      );
      assert.equal(response.status, 400);
    }
  });

  it('stops reading a callback body past 4 KiB, also one streamed without a length', async () => {
    const { kit } = setUpKit();
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          sent += 1024;
          controller.enqueue(new Uint8Array(1024).fill(0x20));
          if (sent >= 64 * 1024 * 1024) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const response = await kit.fetch(
      new Request(CALLBACK_URI, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    assert.equal(response.status, 413);
    assert.ok(sent <= 16 * 1024, `read ${sent} bytes of a body it refuses`);
  });

  it('refuses a callback that is not application/json with 415, unread, waking nothing', async () => {
    const { kit, tokenServer, logins, reads } = setUpCallbackOnlyKit();
    const phone = await tokenServer.enrollDevice('carol');
    const browser = new TestBrowser(kit);
    const { body } = await browser.start();
    const scanned = await scan(tokenServer, phone, body.qr);
    assert.deepEqual((await browser.poll('/otp-login', body.id)).body, { status: 'scanned' });
    let settled = false;
    const held = browser.poll('/otp-login', body.id, 60).finally(() => (settled = true));
    await until(
      () => reads.of(scanned.transactionId) === 2,
      'the held poll to wait for the callback',
    );
    await scanned.answer('accept');

    const fields = { callback_uri: CALLBACK_URI, transaction_id: scanned.transactionId };
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    // What a cross-site <form> can send without a preflight, and a body with no type at all.
    const bodies: [string, BodyInit][] = [
      ['text/plain', JSON.stringify(fields)],
      ['urlencoded', new URLSearchParams(fields)],
      ['multipart', form],
      ['no type', new TextEncoder().encode(JSON.stringify(fields))],
    ];
    for (const [kind, sent] of bodies) {
      const response = await kit.fetch(new Request(CALLBACK_URI, { method: 'POST', body: sent }));
      assert.equal(response.status, 415, kind);
      assert.equal(response.headers.get('accept'), 'application/json', kind);
      assert.deepEqual(
        await response.json(),
        {
          error: 'unsupported_media_type',
          error_description: 'The callback must be sent as application/json.',
        },
        kind,
      );
    }
    // A woken poll would read the login again at once, and answer.
    await nothingHappensFor(200);
    assert.equal(reads.of(scanned.transactionId), 2, 'a refused callback woke the held poll');
    assert.equal(settled, false, 'a refused callback woke the held poll');
    assert.deepEqual(logins, []);

    const accepted = await kit.fetch(
      new Request(CALLBACK_URI, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(fields),
      }),
    );
    assert.equal(accepted.status, 204);
    assert.deepEqual((await beforeTheWaitEnds(held)).body, {
      status: 'accepted',
      redirect_to: '/account',
    });
    assert.deepEqual(logins, ['carol']);
  });
});

describe('relying-party kit: second factor', () => {
  it('binds the login to the user who passed the password; another user’s phone cannot answer', async () => {
    const fixture = new TokenServerFixture();
    const logins: string[] = [];
    const { kit } = setUpKit(
      {
        login: undefined,
        secondFactor: {
          path: '/otp-2fa',
          type: 'second_factor',
          userId: (request) => request.headers.get('x-password-user'),
          onLogin: (userId) => {
            logins.push(userId);
            return { redirectTo: '/account' };
          },
        },
      },
      fixture,
    );
    const alicePhone = await fixture.enrollDevice('alice');
    const malloryPhone = await fixture.enrollDevice('mallory');
    const browser = new TestBrowser(kit);
    const anonymous = await browser.request('/otp-2fa', {
      method: 'POST',
      headers: { Origin: SITE },
    });
    assert.equal(anonymous.status, 401);
    const started = await browser.request('/otp-2fa', {
      method: 'POST',
      headers: { Origin: SITE, 'x-password-user': 'alice' },
    });
    assert.equal(started.status, 201);
    const { id, qr } = (await started.json()) as { id: string; qr: string };
    await assert.rejects(scan(fixture, malloryPhone, qr), /redeem: 403/);
    await (await scan(fixture, alicePhone, qr)).answer('accept');
    assert.deepEqual((await browser.poll('/otp-2fa', id)).body, {
      status: 'accepted',
      redirect_to: '/account',
    });
    assert.deepEqual(logins, ['alice']);
  });
});
