/*
 * Proof of presence (issue 15, item 2), against the real Token Server: for a login type that asks
 * for it, the phone's Accept is not enough. The page that started the login asks for the code the
 * phone shows, and the kit logs the browser in only when the Token Server says it is the one: once,
 * whichever of the racing confirmations and polls gets there first, and never after 3 wrong codes.
 * A relaying attacker's browser then needs the victim to read them the code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLoginStatusResponse } from '../../src/protocol/index.js';
import type { OtpLoginKitConfig } from '../../src/server/kit/index.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { until } from '../support/until.js';
import { beforeTheWaitEnds, scan, setUpKit, SITE, TestBrowser } from './kit-harness.js';

const LOGIN = '/otp-login';
const NOT_FOUND = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
};

/** A site whose passwordless login asks for proof of presence (type `otp_presence`: always). */
function setUpPresence(overrides: Partial<OtpLoginKitConfig> = {}) {
  const tokenServer = new TokenServerFixture();
  const logins: string[] = [];
  const setup = setUpKit(
    {
      login: {
        path: LOGIN,
        type: 'otp_presence',
        onLogin: (userId) => {
          logins.push(userId);
          return { redirectTo: '/account', cookies: [`session=${userId}; Path=/; HttpOnly`] };
        },
      },
      ...overrides,
    },
    tokenServer,
  );
  return { ...setup, logins };
}

/** A login the phone accepted: the page has been asked for the code the phone shows. */
async function acceptedOnThePhone(setup: ReturnType<typeof setUpPresence>, browser: TestBrowser) {
  const phone = await setup.tokenServer.enrollDevice('alice');
  const { body } = await browser.start();
  const answered = await (await scan(setup.tokenServer, phone, body.qr)).answer('accept');
  const presenceCode = answered['presence_code'];
  assert.equal(typeof presenceCode, 'string');
  const asked = await browser.poll(LOGIN, body.id);
  assert.deepEqual(parseLoginStatusResponse(asked.body), {
    status: 'confirm',
    confirm: 'enter_code',
  });
  return { id: body.id, presenceCode: String(presenceCode) };
}

/** A six-digit code that is not `code`. */
function otherThan(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describe('proof of presence', () => {
  it('after Accept on the phone, the page asks for its code, and the right one logs in, once', async () => {
    const setup = setUpPresence();
    const browser = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, browser);
    assert.deepEqual(setup.logins, [], 'the phone’s Accept alone logs nobody in');
    assert.equal((await browser.poll(LOGIN, id)).body.status, 'confirm');

    const confirmed = await browser.confirm(LOGIN, id, { code: presenceCode });
    assert.equal(confirmed.status, 200);
    assert.deepEqual(confirmed.body, { status: 'accepted', redirect_to: '/account' });
    assert.ok(
      confirmed.response.headers.getSetCookie().includes('session=alice; Path=/; HttpOnly'),
    );
    assert.deepEqual(setup.logins, ['alice']);
    assert.deepEqual((await browser.poll(LOGIN, id)).body, NOT_FOUND);
    assert.deepEqual((await browser.confirm(LOGIN, id, { code: presenceCode })).body, NOT_FOUND);
    assert.deepEqual(setup.logins, ['alice']);
  });

  it('a wrong code leaves fewer tries; the third wrong one ends the login, and the right one then does nothing', async () => {
    const setup = setUpPresence();
    const browser = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, browser);
    const wrong = otherThan(presenceCode);
    assert.deepEqual((await browser.confirm(LOGIN, id, { code: wrong })).body, {
      status: 'confirm',
      confirm: 'enter_code',
      tries_left: 2,
    });
    // A poll says the same.
    assert.deepEqual((await browser.poll(LOGIN, id)).body, {
      status: 'confirm',
      confirm: 'enter_code',
      tries_left: 2,
    });
    assert.equal((await browser.confirm(LOGIN, id, { code: wrong })).body.tries_left, 1);
    assert.deepEqual((await browser.confirm(LOGIN, id, { code: wrong })).body, {
      status: 'denied',
    });
    const late = await browser.confirm(LOGIN, id, { code: presenceCode });
    assert.equal(late.status, 400, 'a denied login waits for no code');
    assert.deepEqual((await browser.poll(LOGIN, id)).body, { status: 'denied' });
    assert.deepEqual(setup.logins, []);
  });

  it('a poll held while the page sends the code leaves the session to the confirmation’s answer', async () => {
    // The page drops its held poll to send the code, but the website may not notice before the
    // Token Server's change wakes that poll: were the poll to take the login, the session would go
    // to an answer nobody reads, and the confirmation would find no login.
    const setup = setUpPresence();
    const browser = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, browser);
    const held = browser.poll(LOGIN, id, 60);
    await until(() => setup.tokenServer.server.waiter.size === 1, 'the kit’s long-poll held');
    const confirmed = await browser.confirm(LOGIN, id, { code: presenceCode });
    assert.deepEqual(confirmed.body, { status: 'accepted', redirect_to: '/account' });
    assert.ok(
      confirmed.response.headers.getSetCookie().includes('session=alice; Path=/; HttpOnly'),
    );
    const woken = await beforeTheWaitEnds(held);
    assert.notEqual(woken.body.status, 'accepted');
    assert.deepEqual(woken.response.headers.getSetCookie(), []);
    assert.deepEqual(setup.logins, ['alice']);
  });

  it('of racing confirmations and polls, exactly one logs the browser in', async () => {
    const setup = setUpPresence();
    const browser = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, browser);
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => browser.confirm(LOGIN, id, { code: presenceCode })),
      browser.poll(LOGIN, id),
    ]);
    const accepted = answers.filter((answer) => answer.body.status === 'accepted');
    assert.equal(accepted.length, 1);
    for (const answer of answers.filter((one) => one.body.status !== 'accepted')) {
      if (answer.status === 404) assert.deepEqual(answer.body, NOT_FOUND);
      else assert.equal(answer.body.status, 'confirm', JSON.stringify(answer.body));
      assert.deepEqual(answer.response.headers.getSetCookie(), []);
    }
    assert.deepEqual(setup.logins, ['alice']);
  });

  it('the relaying attacker’s browser cannot use the victim’s code, nor confirm another browser’s login', async () => {
    const setup = setUpPresence();
    const victim = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, victim);
    const attacker = new TestBrowser(setup.kit, '203.0.113.9');
    await attacker.start(); // a binding cookie of their own
    const noCookie = new TestBrowser(setup.kit, '203.0.113.10');
    for (const outsider of [attacker, noCookie]) {
      const refused = await outsider.confirm(LOGIN, id, { code: presenceCode });
      assert.equal(refused.status, 404);
      assert.deepEqual(refused.body, NOT_FOUND);
    }
    assert.deepEqual(setup.logins, []);
    assert.equal((await victim.confirm(LOGIN, id, { code: presenceCode })).body.status, 'accepted');
  });

  it('a confirmation that does not fit the login is 400 invalid_request and changes nothing', async () => {
    const setup = setUpPresence();
    const browser = new TestBrowser(setup.kit);
    const phone = await setup.tokenServer.enrollDevice('alice');
    const { body } = await browser.start();
    // Before the phone accepted, there is no code to type.
    assert.equal((await browser.confirm(LOGIN, body.id, { code: '123456' })).status, 400);
    const answered = await (await scan(setup.tokenServer, phone, body.qr)).answer('accept');
    assert.equal((await browser.poll(LOGIN, body.id)).body.status, 'confirm');
    for (const misfit of [
      { matches: true },
      { code: '12345' },
      { code: 123456 },
      { code: '1234567' },
    ])
      assert.equal(
        (await browser.confirm(LOGIN, body.id, misfit)).body.error,
        'invalid_request',
        JSON.stringify(misfit),
      );
    // Not one of the three tries was spent.
    const code = String(answered['presence_code']);
    assert.deepEqual((await browser.confirm(LOGIN, body.id, { code: otherThan(code) })).body, {
      status: 'confirm',
      confirm: 'enter_code',
      tries_left: 2,
    });
  });

  it('a second factor asks its user’s browser for the code too, and logs that user in once', async () => {
    const setup = setUpPresence({
      login: undefined,
      secondFactor: {
        path: '/otp-2fa',
        type: 'second_factor_presence',
        userId: (request) => request.headers.get('x-password-user'),
        onLogin: (userId) => {
          setup.logins.push(userId);
          return { redirectTo: '/account' };
        },
      },
    });
    const phone = await setup.tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(setup.kit);
    const started = await browser.request('/otp-2fa', {
      method: 'POST',
      headers: { Origin: SITE, 'x-password-user': 'alice' },
    });
    assert.equal(started.status, 201);
    const { id, qr } = (await started.json()) as { id: string; qr: string };
    const answered = await (await scan(setup.tokenServer, phone, qr)).answer('accept');
    const code = String(answered['presence_code']);
    assert.deepEqual((await browser.poll('/otp-2fa', id)).body, {
      status: 'confirm',
      confirm: 'enter_code',
    });
    assert.deepEqual(setup.logins, [], 'the phone’s Accept alone logs nobody in');
    const confirm = (body: unknown) =>
      browser.request(`/otp-2fa/${id}/confirm`, {
        method: 'POST',
        headers: { Origin: SITE, 'Content-Type': 'application/json', 'x-password-user': 'alice' },
        body: JSON.stringify(body),
      });
    const wrong = (await (await confirm({ code: otherThan(code) })).json()) as Record<
      string,
      unknown
    >;
    assert.equal(wrong['tries_left'], 2);
    const confirmed = await confirm({ code });
    assert.deepEqual(await confirmed.json(), { status: 'accepted', redirect_to: '/account' });
    assert.deepEqual(setup.logins, ['alice']);
  });

  it('a type without proof of presence logs in on Accept, as before', async () => {
    const setup = setUpPresence({
      login: { path: LOGIN, type: 'otp', onLogin: () => ({ redirectTo: '/account' }) },
    });
    const phone = await setup.tokenServer.enrollDevice('alice');
    const browser = new TestBrowser(setup.kit);
    const { body } = await browser.start();
    const answered = await (await scan(setup.tokenServer, phone, body.qr)).answer('accept');
    assert.equal(answered['presence_code'], undefined);
    assert.deepEqual((await browser.poll(LOGIN, body.id)).body, {
      status: 'accepted',
      redirect_to: '/account',
    });
  });

  it('too many confirmations from one address get 429 with Retry-After', async () => {
    const setup = setUpPresence({
      rateLimits: { confirmPerIp: { points: 1, durationSeconds: 60 } },
    });
    const browser = new TestBrowser(setup.kit);
    const { id, presenceCode } = await acceptedOnThePhone(setup, browser);
    assert.equal((await browser.confirm(LOGIN, id, { code: otherThan(presenceCode) })).status, 200);
    const limited = await browser.confirm(LOGIN, id, { code: presenceCode });
    assert.equal(limited.status, 429);
    assert.match(limited.response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
    assert.deepEqual(setup.logins, []);
  });
});
