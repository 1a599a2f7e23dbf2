/*
 * End to end: a desktop browser on the demo website and a phone running the scanner app with a
 * fake camera, against the whole system as `npm start` runs it. The phone's camera sees what the
 * desktop page shows: each QR is photographed off the desktop page and played to the camera.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseStartLoginResponse } from '../../src/protocol/index.js';
import {
  answerTheCodeQuestion,
  launchDesktopBrowser,
  logInWithPassword,
  logOut,
  newDesktop,
  photographQr,
  qrEvents,
  signUp,
  typeThePhonesCode,
  widgetStatus,
} from './support/desktop.js';
import { appScreen, codeOnThePhone, Phone, viewText } from './support/phone.js';
import {
  linkedUser,
  linkThePhone,
  proveThePresence,
  scanToConfirm,
  snapshot,
} from './support/stories.js';
import { buildOnce, startSystem, type Builds, type System } from './support/system.js';

let builds: Builds;
let desktopBrowser: Browser;

before(async () => {
  builds = await buildOnce();
  desktopBrowser = await launchDesktopBrowser();
});

after(async () => {
  await desktopBrowser.close();
});

describe('logging in by scanning, end to end', () => {
  let system: System;

  before(async () => {
    system = await startSystem(builds);
  });

  after(async () => {
    await system.close();
  });

  it('sign up → link the phone by scanning → log out → log in by scanning → accept → logged in', async () => {
    const phone = await Phone.create(`${system.urls.app}/`);
    const { context, page } = await newDesktop(desktopBrowser);
    try {
      await signUp(page, system.urls.demo, 'ada@example.com');
      await page.goto(`${system.urls.demo}/account/link`);
      await widgetStatus(page, 'pending');
      await snapshot(page, '01-link-your-phone');

      const app = await linkThePhone(phone, page, { snapshots: true });
      assert.match(await viewText(app, 'app-home'), /Demo Shop/);
      await snapshot(app, '03-phone-linked');
      // The website sees the link and goes back to the account page, which lists the phone.
      await page.waitForURL(/\/account\?linked=1$/, { timeout: 20_000 });
      assert.match(await page.locator('main').innerText(), /Revoke/);
      await logOut(page);
      await page.goto(`${system.urls.demo}/login`);
      await widgetStatus(page, 'pending');
      await snapshot(page, '04-login-page');

      const login = await phone.openAppFacing(await photographQr(page));
      await appScreen(login, 'home');
      await login.getByRole('button', { name: 'Scan to log in' }).click();
      await appScreen(login, 'confirm');
      assert.match(await viewText(login, 'app-confirmation'), /Firefox 128 on Windows/);
      await widgetStatus(page, 'scanned');
      await snapshot(login, '05-phone-confirm');
      await snapshot(page, '06-desktop-scanned');
      await login.getByRole('button', { name: 'Yes, log in' }).click();
      await appScreen(login, 'presence');
      await snapshot(login, '07-phone-presence-code');
      await widgetStatus(page, 'confirm');
      await snapshot(page, '07b-desktop-enter-code');
      await proveThePresence(login, page);

      await page.waitForURL(/\/account$/, { timeout: 20_000 });
      assert.match(await page.locator('body').innerText(), /ada@example\.com/);
      await snapshot(page, '08-logged-in');
      assert.deepEqual(
        (await qrEvents(page)).map((event) => event.type),
        [],
        'the account page is a new page: no events carried over',
      );
    } finally {
      await context.close();
      await phone.dispose();
    }
  });

  it('deny on the phone → the page shows that the login was refused', async () => {
    const user = await linkedUser(system, desktopBrowser, 'bob@example.com');
    try {
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const app = await scanToConfirm(user.phone, user.page);
      await app.getByRole('button', { name: 'No, deny' }).click();
      await appScreen(app, 'result');
      assert.match(await viewText(app, 'app-result'), /Login denied/);
      await widgetStatus(user.page, 'denied');
      assert.match(
        await user.page.locator('otp-login-qr [part="status"]').innerText(),
        /refused on your phone/,
      );
      await snapshot(user.page, '09-desktop-denied');
      await user.page.goto(`${system.urls.demo}/account`);
      assert.match(user.page.url(), /\/login$/, 'nobody is logged in');
    } finally {
      await user.dispose();
    }
  });

  it('a copied QR and login id, polled from another browser without the binding cookie, log nobody in', async () => {
    const user = await linkedUser(system, desktopBrowser, 'carol@example.com');
    const attacker = await newDesktop(desktopBrowser);
    try {
      const started: { id: string; qr: string }[] = [];
      await user.page.route('**/otp-login', async (route) => {
        const response = await route.fetch();
        if (route.request().method() === 'POST')
          started.push((await response.json()) as { id: string; qr: string });
        await route.fulfill({ response });
      });
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const login = started[0];
      if (login === undefined) throw new Error('the page started no login');
      // The attacker knows everything the victim's screen and network show, but has no cookie.
      await attacker.page.goto(system.urls.demo);
      const poll = (): Promise<{ status: number; body: string }> =>
        attacker.page.evaluate(async (id) => {
          const response = await fetch(`/otp-login/${id}?wait=2`);
          return { status: response.status, body: await response.text() };
        }, login.id);
      const before = await poll();
      assert.ok(before.status >= 400, `refused before the scan (${before.status})`);
      const app = await scanToConfirm(user.phone, user.page);
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await proveThePresence(app, user.page);
      const afterAccept = await poll();
      assert.ok(afterAccept.status >= 400, `refused after the accept (${afterAccept.status})`);
      assert.doesNotMatch(afterAccept.body, /accepted|redirect_to/);
      await attacker.page.goto(`${system.urls.demo}/account`);
      assert.match(attacker.page.url(), /\/login$/, 'the attacker is not logged in');
      await user.page.waitForURL(/\/account$/, { timeout: 20_000 });
    } finally {
      await attacker.context.close();
      await user.dispose();
    }
  });

  it('second factor: after the password, the phone confirms the login of that user', async () => {
    const user = await linkedUser(system, desktopBrowser, 'dan@example.com');
    try {
      await logInWithPassword(user.page, system.urls.demo, 'dan@example.com');
      await user.page.waitForURL(/\/login\/confirm$/);
      await widgetStatus(user.page, 'pending');
      await snapshot(user.page, '10-second-factor');
      const app = await scanToConfirm(user.phone, user.page);
      assert.match(await viewText(app, 'app-confirmation'), /Confirm your login to Demo Shop/);
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await appScreen(app, 'result');
      await user.page.waitForURL(/\/account$/, { timeout: 20_000 });
      assert.match(await user.page.locator('body').innerText(), /dan@example\.com/);
    } finally {
      await user.dispose();
    }
  });

  it('survives a Token Server restart between the scan and the answer', async () => {
    const user = await linkedUser(system, desktopBrowser, 'erin@example.com');
    try {
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const app = await scanToConfirm(user.phone, user.page);
      await widgetStatus(user.page, 'scanned');
      // Down for two seconds: the page's poll fails and backs off; SQLite keeps the login.
      await system.restartTokenServer(2_000);
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await proveThePresence(app, user.page);
      await user.page.waitForURL(/\/account$/, { timeout: 45_000 });
      assert.match(await user.page.locator('body').innerText(), /erin@example\.com/);
    } finally {
      await user.dispose();
    }
  });
});

describe('attacks on the ceremony, end to end', () => {
  let system: System;

  before(async () => {
    system = await startSystem(builds);
  });

  after(async () => {
    await system.close();
  });

  it('a stolen link QR: the phone that scanned it over the shoulder shows another code, and the owner’s No revokes it', async () => {
    const owner = await Phone.create(`${system.urls.app}/`);
    const thief = await Phone.create(`${system.urls.app}/`);
    const { context, page } = await newDesktop(desktopBrowser);
    try {
      await signUp(page, system.urls.demo, 'gus@example.com');
      await page.goto(`${system.urls.demo}/account/link`);
      await widgetStatus(page, 'pending');
      const linkQr = await photographQr(page);

      // The thief's phone sees the code first (a screen share, a shoulder) and links.
      const thiefApp = await thief.openAppFacing(linkQr);
      await appScreen(thiefApp, 'first-run');
      await thiefApp.getByRole('button', { name: 'Scan the code to link' }).click();
      await appScreen(thiefApp, 'link-question');
      assert.match(await viewText(thiefApp, 'app-link-question'), /gus@example\.com/);
      await thiefApp.getByRole('button', { name: 'Link', exact: true }).click();
      await appScreen(thiefApp, 'compare-code');
      const thiefsCode = await codeOnThePhone(thiefApp, 'app-compare-code');

      // The owner's phone finds the code used, and says what to do on the page.
      const ownerApp = await owner.openAppFacing(linkQr);
      await appScreen(ownerApp, 'first-run');
      await ownerApp.getByRole('button', { name: 'Scan the code to link' }).click();
      await appScreen(ownerApp, 'result');
      assert.match(await viewText(ownerApp, 'app-result'), /Another phone used this code/);
      await snapshot(ownerApp, '13-phone-code-used');

      // The page shows the thief's code, which the owner's phone does not show: the owner says no.
      await widgetStatus(page, 'confirm');
      await snapshot(page, '14-desktop-code-question');
      assert.equal(await answerTheCodeQuestion(page, false), thiefsCode);
      await widgetStatus(page, 'denied');
      assert.match(
        await page.locator('otp-login-qr [part="status"]').innerText(),
        /Nothing was linked/,
      );
      await page.goto(`${system.urls.demo}/account`);
      assert.match(await page.locator('main').innerText(), /Link refused/);
      assert.match(await page.locator('main').innerText(), /No phone is linked yet/);

      // The thief's phone logs nobody in.
      await logOut(page);
      await page.goto(`${system.urls.demo}/login`);
      await widgetStatus(page, 'pending');
      const thiefLogin = await thief.openAppFacing(await photographQr(page));
      await appScreen(thiefLogin, 'home');
      await thiefLogin.getByRole('button', { name: 'Scan to log in' }).click();
      await appScreen(thiefLogin, 'result');
      assert.doesNotMatch(await viewText(thiefLogin, 'app-result'), /logged in\b(?! yet)/i);
      await widgetStatus(page, 'pending');
    } finally {
      await context.close();
      await owner.dispose();
      await thief.dispose();
    }
  });

  it('a relayed login QR: the victim accepts, but the attacker’s browser does not have the code the phone shows', async () => {
    const victim = await linkedUser(system, desktopBrowser, 'hal@example.com');
    const attacker = await newDesktop(desktopBrowser);
    try {
      // The attacker opens the login page and sends its QR to the victim ("scan to claim…").
      await attacker.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(attacker.page, 'pending');
      const app = await scanToConfirm(victim.phone, attacker.page);
      const confirmation = await viewText(app, 'app-confirmation');
      assert.match(confirmation, /someone sent you this code/i, 'the phone warns of relayed codes');
      assert.match(
        confirmation,
        /shows a code: type it in the browser/,
        'and says a code comes after Accept',
      );
      await snapshot(app, '15-phone-relayed-confirm');
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await appScreen(app, 'presence');
      assert.match(await viewText(app, 'app-presence-proof'), /Never read it out/);
      const victimsCode = await codeOnThePhone(app, 'app-presence-proof');

      // The attacker guesses; three wrong codes end the login.
      const wrong = victimsCode === '000000' ? '111111' : '000000';
      await typeThePhonesCode(attacker.page, wrong);
      await attacker.page
        .locator('otp-login-qr [part="status"]', { hasText: '2 tries left' })
        .waitFor({ timeout: 20_000 });
      await typeThePhonesCode(attacker.page, wrong);
      await attacker.page
        .locator('otp-login-qr [part="status"]', { hasText: '1 try left' })
        .waitFor({ timeout: 20_000 });
      await typeThePhonesCode(attacker.page, wrong);
      await widgetStatus(attacker.page, 'denied');
      await snapshot(attacker.page, '16-desktop-relay-refused');
      await attacker.page.goto(`${system.urls.demo}/account`);
      assert.match(attacker.page.url(), /\/login$/, 'the attacker is not logged in');
    } finally {
      await attacker.context.close();
      await victim.dispose();
    }
  });
});

describe('codes that run out, end to end', () => {
  let system: System;

  before(async () => {
    // Codes live 5 s (the shortest the Token Server allows), so that rotation and expiry take seconds, not minutes.
    system = await startSystem(builds, { loginSeconds: 5 });
  });

  after(async () => {
    await system.close();
  });

  it('with no scan, the QR is renewed up to the cap, then expires until the user asks again', async () => {
    const { context, page } = await newDesktop(desktopBrowser);
    try {
      const shown: string[] = [];
      await page.route('**/otp-login', async (route) => {
        const response = await route.fetch();
        if (route.request().method() === 'POST')
          shown.push(((await response.json()) as { qr: string }).qr);
        await route.fulfill({ response });
      });
      await page.goto(`${system.urls.demo}/login`);
      await widgetStatus(page, 'expired', 60_000);
      await snapshot(page, '11-desktop-expired');
      assert.equal(shown.length, 4, 'the first code and three renewals (max-rotations 3)');
      assert.equal(new Set(shown).size, 4, 'each renewal is a new code');
      await page.getByRole('button', { name: 'Get a new code' }).click();
      await widgetStatus(page, 'pending');
      assert.equal(shown.length, 5, 'a click starts again');
    } finally {
      await context.close();
    }
  });

  it('a stale QR, scanned after it ran out, gives the expired message on the phone', async () => {
    const user = await linkedUser(system, desktopBrowser, 'fay@example.com');
    try {
      // The logins this page starts (one, or two if it renews the code before it is closed),
      // read as the page's starts pass through: a response's body read from the outside may be
      // gone already (Chromium drops it once the page that asked navigated, and in one clean-clone
      // run it had none to give). A page shows a code only once its start was passed on, so every
      // code it shows is in this list.
      const started: string[] = [];
      await user.page.route('**/otp-login', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        const response = await route.fetch();
        started.push(parseStartLoginResponse(await response.json()).id);
        await route.fulfill({ response });
      });
      // The page's own polls are kept from the website, so that the test's below are the only
      // ones on these logins (and are not told to slow down).
      await user.page.route('**/otp-login/*', (route) => route.abort());
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const stale = await photographQr(user.page);
      const ids = [...started];
      assert.ok(ids.length > 0, 'the page started a login');
      const cookies = await user.page.context().cookies(system.urls.demo);
      await user.page.close();
      // Until the code has run out by the Token Server's clock: the website, asked with this
      // browser's cookie, holds each poll until its login changes, and says so.
      for (const id of ids) {
        const polled = await fetch(`${system.urls.demo}/otp-login/${id}?wait=25`, {
          headers: { Cookie: cookies.map(({ name, value }) => `${name}=${value}`).join('; ') },
        });
        assert.deepEqual(await polled.json(), { status: 'expired' });
      }
      const app = await user.phone.openAppFacing(stale);
      await appScreen(app, 'home');
      await app.getByRole('button', { name: 'Scan to log in' }).click();
      await appScreen(app, 'result');
      assert.match(await viewText(app, 'app-result'), /The code expired/);
      await snapshot(app, '12-phone-expired');
    } finally {
      await user.dispose();
    }
  });
});
