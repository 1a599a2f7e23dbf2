/*
 * Linking a phone, bound and confirmed (issue 15, item 1), against the real Token Server: the
 * kit completes a link only for the phone that used this very code, after its user compares the
 * code the phone shows with the page's; it asks for a recent authentication first; and it reports
 * every link, refusal and revocation to the website.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeQrPayload, type EnrollmentPayload } from '../../src/protocol/index.js';
import {
  createOtpLoginKit,
  KitError,
  type LinkedDevice,
  type OtpLoginKit,
  type OtpLoginKitConfig,
  type PhoneLinkEvent,
} from '../../src/server/kit/index.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';
import { readCookie } from '../../src/server/kit/index.js';
import { scan, setUpKit, SITE, TestBrowser } from './kit-harness.js';

const LINK = '/otp-link';
const NOT_FOUND = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
};

/** A site whose linking page is at /otp-link, for the user its `user` cookie names (its session). */
function setUpLinking(
  options: {
    recentlyAuthenticated?: (userId: string) => boolean;
    onSecurityEvent?: OtpLoginKitConfig['onSecurityEvent'];
    enrollment?: Partial<NonNullable<OtpLoginKitConfig['enrollment']>>;
    overrides?: Partial<OtpLoginKitConfig>;
  } = {},
) {
  const tokenServer = new TokenServerFixture();
  const linked: { userId: string; device: LinkedDevice }[] = [];
  const events: PhoneLinkEvent[] = [];
  const errors: unknown[] = [];
  const enrollmentStarts: string[] = [];
  const setup = setUpKit(
    {
      tokenServer: {
        url: tokenServer.base,
        clientId: 'demo',
        clientSecret: 'demo-secret-that-is-long-enough-0123456789',
        fetch: (request) => {
          if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/enrollments'))
            enrollmentStarts.push(request.url);
          return tokenServer.fetch(request);
        },
      },
      enrollment: {
        path: LINK,
        userId: (request) => readCookie(request.headers.get('cookie'), 'user') ?? null,
        recentlyAuthenticated: options.recentlyAuthenticated ?? (() => true),
        onEnrolled: (userId, device) => {
          linked.push({ userId, device });
          return { redirectTo: '/account?linked=1' };
        },
        ...options.enrollment,
      },
      onSecurityEvent:
        options.onSecurityEvent ??
        ((event) => {
          events.push(event);
        }),
      onError: (error) => errors.push(error),
      upstreamPollMs: 50,
      ...options.overrides,
    },
    tokenServer,
  );
  return { ...setup, linked, events, errors, enrollmentStarts };
}

/** The owner on the linking page: starts a link and polls it, as `user`. */
class LinkingPage {
  readonly browser: TestBrowser;
  id = '';
  code: EnrollmentPayload | undefined;

  constructor(
    kit: OtpLoginKit,
    readonly user = 'dave',
    ip = '198.51.100.7',
  ) {
    this.browser = new TestBrowser(kit, ip);
    this.browser.cookies.set('user', user);
  }

  async start(): Promise<EnrollmentPayload> {
    const started = await this.browser.request(LINK, {
      method: 'POST',
      headers: { Origin: SITE, 'User-Agent': 'Firefox/128.0' },
    });
    assert.equal(started.status, 201, await started.clone().text());
    const { id, qr } = (await started.json()) as { id: string; qr: string };
    const payload = decodeQrPayload(qr);
    if (payload.kind !== 'enrollment') throw new Error('not a link QR');
    this.id = id;
    this.code = payload;
    return payload;
  }

  async poll(wait = 0) {
    return this.browser.poll(LINK, this.id, wait);
  }

  async answer(matches: unknown) {
    return this.browser.confirm(LINK, this.id, { matches });
  }
}

/** A phone that uses a link code; its answer names the code it shows. */
async function linkPhone(tokenServer: TokenServerFixture, code: EnrollmentPayload) {
  const phone: TestDevice = await createTestDevice();
  const response = await tokenServer.completeEnrollment(phone, code);
  const body = (await response.json()) as { device_id?: string; compare_code?: string };
  if (body.device_id !== undefined) phone.deviceId = body.device_id;
  return { phone, status: response.status, compareCode: body.compare_code };
}

/** Whether `phone` can log in: it scans a fresh login QR of the site's login page. */
async function canLogIn(
  setup: ReturnType<typeof setUpLinking>,
  phone: TestDevice,
): Promise<boolean> {
  const { body } = await new TestBrowser(setup.kit, '192.0.2.44').start();
  try {
    await (await scan(setup.tokenServer, phone, body.qr)).answer('accept');
    return true;
  } catch {
    return false;
  }
}

describe('linking a phone: bound and confirmed', () => {
  it('links the phone that used this code only once the user says it shows the page’s code', async () => {
    const setup = setUpLinking();
    const page = new LinkingPage(setup.kit);
    const code = await page.start();
    assert.deepEqual((await page.poll()).body, { status: 'pending' });

    const { phone, status, compareCode } = await linkPhone(setup.tokenServer, code);
    assert.equal(status, 201);
    assert.match(compareCode ?? '', /^\d{6}$/);
    // The page shows the phone's code and asks; nothing is linked yet.
    assert.deepEqual((await page.poll()).body, {
      status: 'confirm',
      confirm: 'compare_code',
      compare_code: compareCode,
    });
    assert.deepEqual((await page.poll()).body.compare_code, compareCode);
    assert.equal(await canLogIn(setup, phone), false, 'a pending phone answers no login');
    assert.equal(setup.linked.length, 0);

    const confirmed = await page.answer(true);
    assert.equal(confirmed.status, 200);
    assert.deepEqual(confirmed.body, { status: 'accepted', redirect_to: '/account?linked=1' });
    assert.deepEqual(
      setup.linked.map(({ userId, device }) => [userId, device.deviceId, device.confirmedAt]),
      [['dave', phone.deviceId, setup.linked[0]?.device.confirmedAt]],
    );
    assert.notEqual(setup.linked[0]?.device.confirmedAt, null);
    assert.equal(setup.events.length, 1);
    assert.deepEqual(
      { ...setup.events[0], at: undefined },
      {
        type: 'phone-linked',
        userId: 'dave',
        deviceId: phone.deviceId,
        deviceName: 'Test phone',
        at: undefined,
        ipAddress: '198.51.100.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      },
    );
    assert.ok(setup.events[0]?.at instanceof Date);
    // Once: the page's next poll and a replayed confirmation find nothing.
    assert.deepEqual((await page.poll()).body, NOT_FOUND);
    assert.equal((await page.answer(true)).status, 404);
    assert.equal(setup.linked.length, 1);
    assert.equal(await canLogIn(setup, phone), true);
  });

  it('a code another phone used never reports success to the owner’s page: it warns, and the phone is revoked', async () => {
    const setup = setUpLinking();
    const owner = new LinkingPage(setup.kit);
    const code = await owner.start();
    // Someone who saw the QR over the owner's shoulder uses it first.
    const thief = await linkPhone(setup.tokenServer, code);
    assert.equal(thief.status, 201);
    const own = await linkPhone(setup.tokenServer, code);
    assert.equal(own.status, 409, 'the owner’s phone finds the code used');

    // The page asks about a code the owner's phone does not show; it never says "linked".
    const asked = await owner.poll(1);
    assert.deepEqual(asked.body, {
      status: 'confirm',
      confirm: 'compare_code',
      compare_code: thief.compareCode,
    });
    assert.equal((await owner.poll(1)).body.status, 'confirm');
    assert.equal(await canLogIn(setup, thief.phone), false);

    const refused = await owner.answer(false);
    assert.deepEqual(refused.body, { status: 'denied' });
    assert.deepEqual((await owner.poll()).body, { status: 'denied' });
    assert.equal(setup.linked.length, 0);
    assert.deepEqual(
      setup.events.map((event) => [event.type, event.userId, event.deviceId]),
      [['phone-link-refused', 'dave', thief.phone.deviceId]],
    );
    assert.equal(await canLogIn(setup, thief.phone), false, 'the thief’s phone is revoked');
    const devices = await setup.kit.relyingParty.listDevices('dave');
    assert.notEqual(devices.find((d) => d.deviceId === thief.phone.deviceId)?.revokedAt, null);
  });

  it('another phone linked to the same user meanwhile does not complete this page’s link', async () => {
    const setup = setUpLinking();
    const first = new LinkingPage(setup.kit);
    await first.start();
    const second = new LinkingPage(setup.kit);
    const code = await second.start();
    const { compareCode } = await linkPhone(setup.tokenServer, code);
    assert.equal((await second.poll()).body.compare_code, compareCode);
    assert.equal((await second.answer(true)).body.status, 'accepted');
    // The first page's code is unused: a new phone of the user is not its link.
    assert.deepEqual((await first.poll(1)).body, { status: 'pending' });
    assert.equal(setup.linked.length, 1);
  });

  it('a link nobody confirms in time expires, and the phone stays unlinked', async () => {
    const setup = setUpLinking();
    const page = new LinkingPage(setup.kit);
    const { phone } = await linkPhone(setup.tokenServer, await page.start());
    assert.equal((await page.poll()).body.status, 'confirm');
    setup.tokenServer.now += 10 * 60_000;
    assert.deepEqual((await page.poll()).body, { status: 'expired' });
    assert.equal((await page.answer(true)).status, 400);
    assert.equal(await canLogIn(setup, phone), false);
    assert.equal(setup.linked.length, 0);
  });

  it('a link is confirmed only by its user: after a logout, or another sign-in in the browser, it is not found', async () => {
    const setup = setUpLinking();
    const page = new LinkingPage(setup.kit);
    const code = await page.start();
    const { phone } = await linkPhone(setup.tokenServer, code);
    assert.equal((await page.poll()).body.status, 'confirm');
    page.browser.cookies.set('user', 'mallory');
    assert.equal((await page.answer(true)).status, 404);
    page.browser.cookies.delete('user');
    assert.equal((await page.answer(true)).status, 404);
    assert.equal(await canLogIn(setup, phone), false, 'nothing was linked');
    page.browser.cookies.set('user', 'dave');
    assert.equal((await page.answer(true)).body.status, 'accepted');
  });

  it('of racing confirmations, exactly one links the phone and reports it', async () => {
    const setup = setUpLinking();
    const page = new LinkingPage(setup.kit);
    await linkPhone(setup.tokenServer, await page.start());
    assert.equal((await page.poll()).body.status, 'confirm');
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => page.answer(true)),
      page.poll(),
    ]);
    assert.equal(answers.filter((answer) => answer.body.status === 'accepted').length, 1);
    // The others find the link gone, or (a poll that read it before) still to confirm.
    for (const answer of answers.filter((one) => one.body.status !== 'accepted')) {
      if (answer.status === 404) assert.deepEqual(answer.body, NOT_FOUND);
      else assert.equal(answer.body.status, 'confirm', JSON.stringify(answer.body));
      assert.deepEqual(answer.response.headers.getSetCookie(), []);
    }
    assert.equal(setup.linked.length, 1);
    assert.deepEqual(
      setup.events.map((event) => event.type),
      ['phone-linked'],
    );
  });

  it('a confirmation that does not fit the link is 400 invalid_request and changes nothing', async () => {
    const setup = setUpLinking({
      overrides: { rateLimits: { confirmPerLogin: { points: 20, durationSeconds: 60 } } },
    });
    const page = new LinkingPage(setup.kit);
    const code = await page.start();
    // Before a phone used the code there is nothing to confirm.
    assert.equal((await page.answer(true)).body.error, 'invalid_request');
    await linkPhone(setup.tokenServer, code);
    assert.equal((await page.poll()).body.status, 'confirm');
    const json = { Origin: SITE, 'Content-Type': 'application/json' };
    const misfits: [unknown, Record<string, string>][] = [
      [{ code: '123456' }, json], // a login's proof of presence, not a comparison
      [{ matches: 'true' }, json],
      [{ matches: true, code: '123456' }, json],
      [{}, json],
      ['[true]', json],
      ['{"matches": tru', json],
      [`{"matches": true, "pad": "${'x'.repeat(4096)}"}`, json],
      [{ matches: true }, { Origin: SITE, 'Content-Type': 'text/plain' }],
      [{ matches: true }, { Origin: SITE }],
    ];
    for (const [body, headers] of misfits) {
      const refused = await page.browser.confirm(LINK, page.id, body, headers);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error, 'invalid_request');
    }
    assert.equal((await page.poll()).body.status, 'confirm');
    assert.equal((await page.answer(true)).body.status, 'accepted');
  });

  it('an outsider’s confirmation, with another browser’s cookie or none, or from another site, is refused unread', async () => {
    const setup = setUpLinking();
    const page = new LinkingPage(setup.kit);
    await linkPhone(setup.tokenServer, await page.start());
    assert.equal((await page.poll()).body.status, 'confirm');

    const outsider = new LinkingPage(setup.kit, 'mallory', '203.0.113.9');
    await outsider.start(); // a binding cookie of their own
    const stranger = new TestBrowser(setup.kit, '203.0.113.10');
    for (const browser of [outsider.browser, stranger]) {
      const refused = await browser.confirm(LINK, page.id, { matches: true });
      assert.equal(refused.status, 404);
      assert.deepEqual(refused.body, NOT_FOUND);
    }
    // The owner's own cookie, but sent by another site's page (CSRF).
    const forged = await page.browser.confirm(
      LINK,
      page.id,
      { matches: false },
      { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
    );
    assert.equal(forged.status, 403);
    assert.equal((await page.poll()).body.status, 'confirm');
    assert.equal((await page.answer(true)).body.status, 'accepted');
    assert.equal(setup.events.length, 1);
  });

  it('a throwing onSecurityEvent is reported, and the link still completes', async () => {
    const failure = new Error('the mailer is down');
    const setup = setUpLinking({
      onSecurityEvent: () => Promise.reject(failure),
    });
    const page = new LinkingPage(setup.kit);
    await linkPhone(setup.tokenServer, await page.start());
    assert.equal((await page.poll()).body.status, 'confirm');
    assert.equal((await page.answer(true)).body.status, 'accepted');
    assert.equal(setup.linked.length, 1);
    assert.deepEqual(setup.errors, [failure]);
  });

  it('gives the phone the name the site chose for the account, and leaves out one it must not show', async () => {
    const names: Record<string, string> = { erin: 'Erin Example', frank: 'Frank\u202E' };
    const setup = setUpLinking({
      enrollment: { displayName: (userId) => names[userId] },
    });
    const erin = new LinkingPage(setup.kit, 'erin');
    const enrolled = await setup.tokenServer.completeEnrollment(
      await createTestDevice(),
      await erin.start(),
    );
    assert.equal(
      ((await enrolled.json()) as { display_name: unknown }).display_name,
      'Erin Example',
    );
    // The site's bug is reported to it, and the phone is linked without the name.
    const frank = new LinkingPage(setup.kit, 'frank');
    const linked = await setup.tokenServer.completeEnrollment(
      await createTestDevice(),
      await frank.start(),
    );
    assert.equal(((await linked.json()) as { display_name: unknown }).display_name, null);
    assert.equal(setup.errors.length, 1);
    assert.ok(setup.errors[0] instanceof TypeError);
    assert.match(setup.errors[0].message, /displayName/);
  });
});

describe('linking a phone: a recent authentication first', () => {
  it('refuses to start a link without one: 401 reauthentication_required, and nothing starts', async () => {
    const asked: string[] = [];
    const setup = setUpLinking({
      recentlyAuthenticated: (userId) => {
        asked.push(userId);
        return false;
      },
    });
    const browser = new TestBrowser(setup.kit);
    browser.cookies.set('user', 'dave');
    const refused = await browser.request(LINK, { method: 'POST', headers: { Origin: SITE } });
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), {
      error: 'reauthentication_required',
      error_description: 'Sign in again before you link a phone.',
    });
    assert.equal(refused.headers.get('set-cookie'), null);
    assert.deepEqual(asked, ['dave']);
    assert.deepEqual(setup.enrollmentStarts, [], 'no enrollment was started');
  });

  it('a link whose hook says yes starts, and tells the Token Server of the linking browser', async () => {
    const setup = setUpLinking({ recentlyAuthenticated: (userId) => userId === 'dave' });
    const code = await new LinkingPage(setup.kit, 'dave').start();
    const phone = await createTestDevice();
    const preview = await setup.tokenServer.fetch(
      await phone.signedRequest(
        `${setup.tokenServer.base}/api/mobile/v1/enrollments/${code.enrollmentId}/preview`,
        { secret: code.secret, public_key: phone.publicJwk },
        { anonymous: true, timestamp: setup.tokenServer.now },
      ),
    );
    assert.equal(preview.status, 200);
    const shown = (await preview.json()) as { user_id: string; browser: string | null };
    assert.equal(shown.user_id, 'dave');
    assert.match(shown.browser ?? '', /Firefox/);
    assert.equal(setup.enrollmentStarts.length, 1);
  });

  it('a kit configured to link phones without the hook is a TypeError that says what to pass', () => {
    const tokenServer = new TokenServerFixture();
    assert.throws(
      () =>
        createOtpLoginKit({
          tokenServer: { url: tokenServer.base, clientId: 'demo', clientSecret: 'secret' },
          publicOrigin: SITE,
          appUrl: 'http://localhost:7003/',
          callbackUri: 'http://127.0.0.1:9/callback',
          enrollment: {
            path: LINK,
            userId: () => 'dave',
          } as unknown as NonNullable<OtpLoginKitConfig['enrollment']>,
        }),
      (error: unknown) =>
        error instanceof TypeError && /enrollment\.recentlyAuthenticated/.test(error.message),
    );
  });
});

describe('linking a phone: abuse limits', () => {
  it('too many confirmations of one link get 429 with Retry-After', async () => {
    const setup = setUpLinking({
      overrides: { rateLimits: { confirmPerLogin: { points: 2, durationSeconds: 60 } } },
    });
    const page = new LinkingPage(setup.kit);
    await linkPhone(setup.tokenServer, await page.start());
    assert.equal((await page.poll()).body.status, 'confirm');
    for (let i = 0; i < 2; i += 1)
      assert.equal((await page.browser.confirm(LINK, page.id, { code: '000000' })).status, 400);
    const limited = await page.answer(true);
    assert.equal(limited.status, 429);
    assert.match(limited.response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
    assert.equal((await page.poll()).body.status, 'confirm', 'the refused one changed nothing');
  });
});

describe('revoking a phone', () => {
  it('revokes only a phone of that user, and reports it', async () => {
    const setup = setUpLinking();
    const davesPhone = await setup.tokenServer.enrollDevice('dave');
    const erinsPhone = await setup.tokenServer.enrollDevice('erin');

    // Dave's account page posts Erin's phone's id: refused, and Erin's phone still logs in.
    await assert.rejects(
      setup.kit.revokePhone('dave', erinsPhone.deviceId),
      (error: unknown) => error instanceof KitError && error.code === 'phone_not_found',
    );
    assert.equal(await canLogIn(setup, erinsPhone), true);
    assert.equal(setup.events.length, 0);

    const request = new Request(`${SITE}/account/devices/revoke`, {
      method: 'POST',
      headers: { 'User-Agent': 'Safari/17' },
    });
    await setup.kit.revokePhone('dave', davesPhone.deviceId, request, { clientIp: '192.0.2.5' });
    assert.equal(await canLogIn(setup, davesPhone), false);
    assert.deepEqual(
      setup.events.map((event) => [
        event.type,
        event.userId,
        event.deviceId,
        event.deviceName,
        event.ipAddress,
        event.userAgent,
      ]),
      [['phone-revoked', 'dave', davesPhone.deviceId, 'Test phone', '192.0.2.5', 'Safari/17']],
    );
    // A phone revoked already is no longer one of the user's linked phones.
    await assert.rejects(
      setup.kit.revokePhone('dave', davesPhone.deviceId),
      (error: unknown) => error instanceof KitError && error.code === 'phone_not_found',
    );
    assert.equal(setup.events.length, 1);
  });
});
