/*
 * End to end: a desktop browser on the demo website and a phone running the scanner app with a
 * fake camera, against the whole system as `npm start` runs it. The phone's camera sees what the
 * desktop page shows: each QR is photographed off the desktop page and played to the camera.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  launchDesktopBrowser,
  logOut,
  newDesktop,
  photographQr,
  qrEvents,
  signUp,
  widgetStatus,
} from './support/desktop.js';
import { appScreen, Phone, viewText } from './support/phone.js';
import { buildOnce, startSystem, type Builds, type System } from './support/system.js';

const ARTIFACTS = process.env.E2E_ARTIFACTS ?? 'test-results/e2e';

async function snapshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(`${ARTIFACTS}/${name}.png`, await page.screenshot());
}

describe('logging in by scanning, end to end', () => {
  let builds: Builds;
  let system: System;
  let desktopBrowser: Browser;

  before(async () => {
    builds = await buildOnce();
    system = await startSystem(builds);
    desktopBrowser = await launchDesktopBrowser();
  });

  after(async () => {
    await desktopBrowser.close();
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

      const app = await phone.openAppFacing(await photographQr(page));
      await appScreen(app, 'first-run');
      await snapshot(app, '02-phone-first-run');
      await app.getByRole('button', { name: 'Scan the code to link' }).click();
      await appScreen(app, 'home');
      assert.match(await viewText(app, 'app-home'), /This phone is now linked to Demo Shop/);
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
      await appScreen(login, 'result');
      await snapshot(login, '07-phone-accepted');

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
});
