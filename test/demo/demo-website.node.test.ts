import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { decodeQrPayload } from '../../src/protocol/index.js';
import { DEMO_CSP } from '../../src/server/demo/index.js';
import { asRead } from '../support/as-read.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';
import { scan } from '../kit/kit-harness.js';
import { DemoBrowser, setUpDemo, SITE } from './demo-harness.js';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'; connect-src 'self'; img-src 'self' data:; form-action 'self'";

async function signUp(browser: DemoBrowser, email: string) {
  const response = await browser.post('/signup', { email, password: 'correct horse battery' });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), '/account');
}

/** Links a phone the way the PWA does: scan the enrollment QR from /account/link. */
async function linkPhone(
  browser: DemoBrowser,
  tokenServer: ReturnType<typeof setUpDemo>['tokenServer'],
) {
  const page = await browser.request('/account/link');
  assert.match(
    await page.text(),
    /<otp-login-qr endpoint="\/otp-link" purpose="link"><\/otp-login-qr>/,
  );
  const started = await browser.startWidget('/otp-link');
  const payload = decodeQrPayload(started.qr);
  assert.equal(payload.kind, 'enrollment');
  const phone: TestDevice = await createTestDevice();
  const enrolled = await tokenServer.completeEnrollment(phone, payload);
  assert.equal(enrolled.status, 201);
  const linked = (await enrolled.json()) as { device_id: string; compare_code: string };
  phone.deviceId = linked.device_id;
  // The page shows the phone's code and asks whether they match; the user says yes.
  assert.deepEqual((await browser.pollWidget('/otp-link', started.id)).body, {
    status: 'confirm',
    confirm: 'compare_code',
    compare_code: linked.compare_code,
  });
  assert.deepEqual((await browser.confirmWidget('/otp-link', started.id, { matches: true })).body, {
    status: 'accepted',
    redirect_to: '/account?linked=1',
  });
  return phone;
}

describe('demo website', () => {
  it('serves every page with the strict CSP, and no inline script or style', async () => {
    const { demo, tokenServer } = setUpDemo();
    assert.equal(DEMO_CSP, EXPECTED_CSP);
    const visitor = new DemoBrowser(demo);
    const pages = ['/', '/signup', '/login', '/no-such-page', '/styles.css', '/otp-login-qr.js'];
    const user = new DemoBrowser(demo);
    await signUp(user, 'csp@example.com');
    await linkPhone(user, tokenServer);
    const pending = new DemoBrowser(demo);
    const confirm = await pending.post('/login', {
      email: 'csp@example.com',
      password: 'correct horse battery',
    });
    assert.equal(confirm.headers.get('location'), '/login/confirm');
    const seen: [DemoBrowser, string][] = [
      ...pages.map((path): [DemoBrowser, string] => [visitor, path]),
      [user, '/'],
      [user, '/account'],
      [user, '/account/link'],
      [pending, '/login/confirm'],
    ];
    for (const [browser, path] of seen) {
      const response = await browser.request(path);
      assert.equal(response.headers.get('content-security-policy'), EXPECTED_CSP, path);
      const text = await response.text();
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
        assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: inline script`);
        assert.doesNotMatch(
          text,
          /<style|\sstyle=|\son[a-z]+=/i,
          `${path}: inline style or handler`,
        );
      }
    }
    // The kit's JSON answers carry it too.
    const started = await visitor.request('/otp-login', {
      method: 'POST',
      headers: { Origin: SITE },
    });
    assert.equal(started.headers.get('content-security-policy'), EXPECTED_CSP);
  });

  it('has a favicon, so that no page logs a missing one', async () => {
    const { demo } = setUpDemo();
    const browser = new DemoBrowser(demo);
    assert.match(
      await (await browser.request('/')).text(),
      /<link rel="icon" href="\/favicon.svg" type="image\/svg\+xml" \/>/,
    );
    const icon = await browser.request('/favicon.svg');
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.match(await icon.text(), /^<svg /);
  });

  it('says plainly when the widget bundle is not built', async () => {
    const { demo } = setUpDemo();
    const response = await new DemoBrowser(demo).request('/otp-login-qr.js');
    assert.equal(response.status, 404);
    assert.match(await response.text(), /npm run build:widget/);
  });

  it('refuses a form posted from another site (CSRF)', async () => {
    const { demo } = setUpDemo();
    const response = await demo.app.fetch(
      new Request(`${SITE}/signup`, {
        method: 'POST',
        headers: {
          Origin: 'https://evil.example',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'email=a%40b.example&password=12345678',
      }),
    );
    assert.equal(response.status, 403);
    assert.equal(demo.database.userByEmail('a@b.example'), undefined);
  });

  it('refuses a password form that is not a form body with 415, unread and not counted as a try', async () => {
    const { demo } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'typed@example.com');
    await browser.post('/logout');
    const fields = 'email=other%40example.com&password=correct+horse+battery';
    // text/plain is what a cross-site <form enctype="text/plain"> sends without a preflight.
    const bodies: [string | undefined, BodyInit][] = [
      ['text/plain', fields],
      ['application/json', JSON.stringify({ email: 'other@example.com', password: 'x'.repeat(9) })],
      [undefined, new TextEncoder().encode(fields)],
    ];
    for (let round = 0; round < 8; round++) {
      for (const path of ['/signup', '/login']) {
        for (const [type, body] of bodies) {
          const response = await browser.request(path, {
            method: 'POST',
            headers: { Origin: SITE, ...(type === undefined ? {} : { 'Content-Type': type }) },
            body,
          });
          assert.equal(response.status, 415, `${path} ${type}`);
          assert.equal(
            response.headers.get('accept'),
            'application/x-www-form-urlencoded, multipart/form-data',
          );
          assert.deepEqual(response.headers.getSetCookie(), []);
          assert.match(await response.text(), /sent in a format the website does not read/);
        }
      }
    }
    assert.equal(demo.database.userByEmail('other@example.com'), undefined);
    // 48 refusals, none of them a password try: the real form still logs in (20 tries allowed).
    const multipart = new FormData();
    multipart.set('email', 'typed@example.com');
    multipart.set('password', 'correct horse battery');
    const login = await browser.request('/login', {
      method: 'POST',
      headers: { Origin: SITE },
      body: multipart,
    });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/account');
  });

  it('slows down password guessing: 429 with Retry-After after 20 tries', async () => {
    const { demo } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'guess@example.com');
    for (let i = 1; i < 20; i++) {
      const wrong = await browser.post('/login', {
        email: 'guess@example.com',
        password: `no-${i}`,
      });
      assert.equal(wrong.status, 401);
    }
    const limited = await browser.post('/login', {
      email: 'guess@example.com',
      password: 'correct horse battery',
    });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('escapes what users type', async () => {
    const { demo } = setUpDemo();
    const response = await new DemoBrowser(demo).post('/signup', {
      email: '<script>alert(1)</script>',
      password: 'x',
    });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.ok(!text.includes('<script>alert(1)</script>'));
    assert.ok(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('the walk: sign up, link a phone, log out, log in by QR', async () => {
    const { demo, tokenServer } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'alice@example.com');
    const account = await browser.request('/account');
    assert.equal(account.status, 200);
    assert.match(await account.text(), /No phone is linked yet/);

    const phone = await linkPhone(browser, tokenServer);
    const linked = await (await browser.request('/account?linked=1')).text();
    assert.match(linked, /Your phone is linked/);
    assert.match(linked, /<strong>Test phone<\/strong>/);

    const loggedOut = await browser.post('/logout');
    assert.equal(loggedOut.status, 303);
    assert.equal((await browser.request('/account')).headers.get('location'), '/login');

    const login = await (await browser.request('/login')).text();
    assert.match(login, /<otp-login-qr endpoint="\/otp-login"><\/otp-login-qr>/);
    assert.match(login, /<script type="module" src="\/otp-login-qr.js"><\/script>/);
    const started = await browser.startWidget('/otp-login');
    const scanned = await scan(tokenServer, phone, started.qr);
    assert.equal(scanned.redeemed.site, 'Demo website');
    await scanned.answer('accept');
    const accepted = await browser.pollWidget('/otp-login', started.id);
    assert.deepEqual(accepted.body, { status: 'accepted', redirect_to: '/account' });
    const back = await browser.request('/account');
    assert.equal(back.status, 200);
    assert.match(await back.text(), /alice@example.com/);
  });

  it('after the password, an account with a phone must confirm on that phone', async () => {
    const { demo, tokenServer } = setUpDemo();
    const alice = new DemoBrowser(demo);
    await signUp(alice, 'alice@example.com');
    const phone = await linkPhone(alice, tokenServer);
    const mallory = new DemoBrowser(demo);
    await signUp(mallory, 'mallory@example.com');
    const malloryPhone = await linkPhone(mallory, tokenServer);

    const browser = new DemoBrowser(demo);
    const wrong = await browser.post('/login', {
      email: 'alice@example.com',
      password: 'nope-nope',
    });
    assert.equal(wrong.status, 401);
    const right = await browser.post('/login', {
      email: 'alice@example.com',
      password: 'correct horse battery',
    });
    assert.equal(right.headers.get('location'), '/login/confirm');
    // Half logged in: the account stays closed, and linking a phone is refused.
    assert.equal((await browser.request('/account')).headers.get('location'), '/login');
    const link = await browser.request('/otp-link', { method: 'POST', headers: { Origin: SITE } });
    assert.equal(link.status, 401);

    const confirm = await (await browser.request('/login/confirm')).text();
    assert.match(confirm, /<otp-login-qr endpoint="\/otp-2fa"><\/otp-login-qr>/);
    const started = await browser.startWidget('/otp-2fa');
    await assert.rejects(scan(tokenServer, malloryPhone, started.qr), /redeem: 403/);
    await (await scan(tokenServer, phone, started.qr)).answer('accept');
    assert.deepEqual((await browser.pollWidget('/otp-2fa', started.id)).body, {
      status: 'accepted',
      redirect_to: '/account',
    });
    assert.equal((await browser.request('/account')).status, 200);
  });

  it('without a second-factor type on the Token Server, the password alone logs in', async () => {
    const { demo, tokenServer } = setUpDemo(null);
    const alice = new DemoBrowser(demo);
    await signUp(alice, 'alice@example.com');
    await linkPhone(alice, tokenServer);
    const browser = new DemoBrowser(demo);
    const loggedIn = await browser.post('/login', {
      email: 'alice@example.com',
      password: 'correct horse battery',
    });
    assert.equal(loggedIn.headers.get('location'), '/account');
    const secondFactor = await browser.request('/otp-2fa', {
      method: 'POST',
      headers: { Origin: SITE },
    });
    assert.equal(secondFactor.status, 404);
  });

  it('says on the account page which phones ask for a fingerprint or face before a login', async () => {
    const { demo, tokenServer } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'alice@example.com');
    const phone = await linkPhone(browser, tokenServer);
    const account = async () => (await browser.request('/account')).text();
    assert.match(await account(), /Accepts logins with a tap/);
    assert.doesNotMatch(await account(), /Asks for your fingerprint or face/);

    const registered = await tokenServer.registerPasskey(phone, new SoftwareAuthenticator());
    assert.equal(registered.status, 200, await registered.clone().text());
    assert.match(await account(), /Asks for your fingerprint or face before a login/);
    assert.doesNotMatch(await account(), /Accepts logins with a tap/);
  });

  it('revokes a linked phone, which then cannot log in', async () => {
    const { demo, tokenServer } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'alice@example.com');
    const phone = await linkPhone(browser, tokenServer);
    const other = new DemoBrowser(demo);
    await signUp(other, 'bob@example.com');
    // Another user cannot revoke Alice's phone.
    const foreign = await other.post(`/account/devices/${phone.deviceId}/revoke`);
    assert.equal(foreign.status, 404);
    const revoked = await browser.post(`/account/devices/${phone.deviceId}/revoke`);
    assert.equal(revoked.headers.get('location'), '/account?revoked=1');
    assert.match(await (await browser.request('/account')).text(), /No phone is linked yet/);
    await browser.post('/logout');
    const started = await browser.startWidget('/otp-login');
    await assert.rejects(scan(tokenServer, phone, started.qr), /redeem: 401/);
  });
  it('asks for the password again before linking a phone, once the login is five minutes old', async () => {
    const { demo } = setUpDemo();
    const browser = new DemoBrowser(demo);
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      await signUp(browser, 'alice@example.com');
      mock.timers.tick(5 * 60 * 1000 + 1);
      // Someone at a browser left logged in, or with a session of a stolen password, gets no
      // link code: the page asks for the password, and the kit starts nothing.
      const page = await (await browser.request('/account/link')).text();
      assert.match(page, /Confirm it is you/);
      assert.doesNotMatch(page, /<otp-login-qr/);
      const start = await browser.request('/otp-link', {
        method: 'POST',
        headers: { Origin: SITE },
      });
      assert.equal(start.status, 401);
      assert.equal(((await start.json()) as { error: string }).error, 'reauthentication_required');

      const wrong = await browser.post('/account/reauthenticate', { password: 'not it at all' });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /That password is wrong/);
      assert.equal(
        (await browser.request('/otp-link', { method: 'POST', headers: { Origin: SITE } })).status,
        401,
      );

      const right = await browser.post('/account/reauthenticate', {
        password: 'correct horse battery',
      });
      assert.equal(right.headers.get('location'), '/account/link');
      assert.match(
        await (await browser.request('/account/link')).text(),
        /<otp-login-qr endpoint="\/otp-link" purpose="link">/,
      );
      assert.equal(
        (await browser.request('/otp-link', { method: 'POST', headers: { Origin: SITE } })).status,
        201,
      );
    } finally {
      mock.timers.reset();
    }
  });

  it('lists every phone linked, link refused and phone revoked on the account page', async () => {
    const { demo, tokenServer } = setUpDemo();
    const browser = new DemoBrowser(demo);
    await signUp(browser, 'alice@example.com');
    const phone = await linkPhone(browser, tokenServer);

    // A phone that scanned the link code over Alice's shoulder shows another code: she says no.
    const started = await browser.startWidget('/otp-link');
    const payload = decodeQrPayload(started.qr);
    assert.equal(payload.kind, 'enrollment');
    const stranger = await createTestDevice();
    assert.equal(
      (await tokenServer.completeEnrollment(stranger, payload, undefined, 'Stranger phone')).status,
      201,
    );
    assert.equal((await browser.pollWidget('/otp-link', started.id)).body.status, 'confirm');
    assert.deepEqual(
      (await browser.confirmWidget('/otp-link', started.id, { matches: false })).body,
      {
        status: 'denied',
      },
    );

    await browser.post(`/account/devices/${phone.deviceId}/revoke`);
    const account = asRead(await (await browser.request('/account')).text());
    const events = account.slice(account.indexOf('Security events'));
    const lines = [...events.matchAll(/<strong>([^<]+)<\/strong>(?:: ([^<\n]+))?/g)].map(
      ([, what, phoneName]) => `${what}${phoneName ? `: ${phoneName.trim()}` : ''}`,
    );
    assert.deepEqual(lines, [
      'Phone revoked: Test phone',
      'Link refused: the codes did not match: Stranger phone',
      'Phone linked: Test phone',
    ]);
    assert.match(account, /Logged in as <a href="\/account">alice@example.com<\/a>/);
  });
});
