/*
 * A fingerprint or face before Accept, end to end: the whole system with a login type that
 * requires the user verified (`userVerification: 'required'`), a desktop browser on the demo
 * website, and a phone whose platform authenticator is Chromium's virtual one (the DevTools
 * WebAuthn domain): the passkey is made when the phone links, and every Accept asks for it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  launchDesktopBrowser,
  logOut,
  newDesktop,
  signUp,
  widgetStatus,
} from './support/desktop.js';
import { appScreen, Phone, viewText } from './support/phone.js';
import {
  linkedUser,
  linkThePhone,
  proveThePresence,
  scanToConfirm,
  snapshot,
} from './support/stories.js';
import { buildOnce, startSystem, type Builds, type System } from './support/system.js';

const FINGERPRINT_NOTE = /you’ll be asked for your fingerprint or face/;
const NOT_VERIFIED = 'Not verified: try again or deny.';

let builds: Builds;
let desktopBrowser: Browser;

before(async () => {
  builds = await buildOnce();
  desktopBrowser = await launchDesktopBrowser();
});

after(async () => {
  await desktopBrowser.close();
});

/** Waits until the confirmation screen says the user was not verified. */
async function toldNotVerified(app: Page): Promise<void> {
  await app
    .locator('app-confirmation [role="alert"]', { hasText: NOT_VERIFIED })
    .waitFor({ timeout: 20_000 });
}

describe('a fingerprint or face before Accept, end to end', () => {
  let system: System;

  before(async () => {
    system = await startSystem(builds, { userVerification: 'required' });
  });

  after(async () => {
    await system.close();
  });

  it('user verified → logged in', async () => {
    const phone = await Phone.create(`${system.urls.app}/`, { authenticator: true });
    const { context, page } = await newDesktop(desktopBrowser);
    try {
      await signUp(page, system.urls.demo, 'ivy@example.com');
      await page.goto(`${system.urls.demo}/account/link`);
      await widgetStatus(page, 'pending');
      await linkThePhone(phone, page, {
        atTheCode: async (app) => {
          assert.match(
            await viewText(app, 'app-compare-code'),
            /this phone will check your fingerprint or face before a login/,
          );
          await snapshot(app, '17-phone-linked-with-fingerprint');
        },
      });
      assert.equal(await phone.authenticator?.passkeyCount(), 1, 'the phone made its passkey');
      await page.waitForURL(/\/account\?linked=1$/, { timeout: 20_000 });
      assert.match(
        await page.locator('main').innerText(),
        /Asks for your fingerprint or face before a login/,
        'the website’s device list says so',
      );
      await logOut(page);

      await page.goto(`${system.urls.demo}/login`);
      await widgetStatus(page, 'pending');
      const app = await scanToConfirm(phone, page);
      assert.match(await viewText(app, 'app-confirmation'), FINGERPRINT_NOTE);
      await snapshot(app, '18-phone-confirm-fingerprint');
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await proveThePresence(app, page);
      await page.waitForURL(/\/account$/, { timeout: 20_000 });
      assert.match(await page.locator('body').innerText(), /ivy@example\.com/);
    } finally {
      await context.close();
      await phone.dispose();
    }
  });

  it('not verified → not logged in, and the phone says why', async () => {
    const user = await linkedUser(system, desktopBrowser, 'jon@example.com', {
      authenticator: true,
    });
    try {
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const app = await scanToConfirm(user.phone, user.page);
      await user.phone.authenticator?.setUserVerified(false);
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await toldNotVerified(app);
      await snapshot(app, '19-phone-not-verified');
      assert.equal(
        await app.locator('scanner-app').getAttribute('screen'),
        'confirm',
        'the question stays',
      );
      // Nothing was sent: the login still waits for the phone's answer.
      await widgetStatus(user.page, 'scanned');
      assert.match(user.page.url(), /\/login$/, 'nobody is logged in');

      // The user gives up on it and denies.
      await app.getByRole('button', { name: 'No, deny' }).click();
      await appScreen(app, 'result');
      await widgetStatus(user.page, 'denied');
    } finally {
      await user.dispose();
    }
  });

  it('cancelled (the passkey is gone from the phone) → nothing sent, and the user can deny', async () => {
    const user = await linkedUser(system, desktopBrowser, 'kim@example.com', {
      authenticator: true,
    });
    try {
      await user.phone.authenticator?.deletePasskeys();
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const app = await scanToConfirm(user.phone, user.page);
      await app.getByRole('button', { name: 'Yes, log in' }).click();
      await toldNotVerified(app);
      await widgetStatus(user.page, 'scanned');

      await app.getByRole('button', { name: 'No, deny' }).click();
      await appScreen(app, 'result');
      assert.match(await viewText(app, 'app-result'), /Login denied/);
      await widgetStatus(user.page, 'denied');
    } finally {
      await user.dispose();
    }
  });

  it('no authenticator at all → told when linking; a login that requires one can only be denied', async () => {
    const user = await linkedUser(system, desktopBrowser, 'lea@example.com', {
      atTheCode: async (app) => {
        assert.match(
          await viewText(app, 'app-compare-code'),
          /This phone can’t check your fingerprint or face, so websites that ask for one won’t accept logins from it\. It can still log you in to websites that don’t ask\./,
        );
        await snapshot(app, '20-phone-linked-without-fingerprint');
      },
    });
    try {
      await user.page.goto(`${system.urls.demo}/login`);
      await widgetStatus(user.page, 'pending');
      const app = await scanToConfirm(user.phone, user.page);
      assert.match(
        await viewText(app, 'app-confirmation'),
        /this phone can’t check them\. You can only deny this login here/,
      );
      assert.equal(
        await app.getByRole('button', { name: 'Yes, log in' }).count(),
        0,
        'no Accept to tap',
      );
      await snapshot(app, '21-phone-deny-only');
      await app.getByRole('button', { name: 'No, deny' }).click();
      await appScreen(app, 'result');
      await widgetStatus(user.page, 'denied');
    } finally {
      await user.dispose();
    }
  });
});
