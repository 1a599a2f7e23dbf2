/*
 * The steps the end-to-end stories share: a user links a phone in front of the linking page, a
 * phone scans a login to its confirmation screen, the browser types the phone's code. Each step
 * waits for what the user would see.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import {
  answerTheCodeQuestion,
  logOut,
  newDesktop,
  photographQr,
  signUp,
  typeThePhonesCode,
  widgetStatus,
} from './desktop.js';
import { appScreen, codeOnThePhone, Phone } from './phone.js';
import type { System } from './system.js';

const ARTIFACTS = process.env.E2E_ARTIFACTS ?? 'test-results/e2e';

export async function snapshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(`${ARTIFACTS}/${name}.png`, await page.screenshot());
}

export interface LinkOptions {
  /** Takes the screenshots of docs/app.md on the way. */
  readonly snapshots?: boolean;
  /** Runs on the phone's screen with the code to compare, before the user confirms. */
  readonly atTheCode?: (app: Page) => Promise<void>;
}

/**
 * Links the phone in front of the linking page: the app asks first, then shows a code; the user
 * checks that the page shows the same one and says so there.
 */
export async function linkThePhone(
  phone: Phone,
  page: Page,
  options: LinkOptions = {},
): Promise<Page> {
  const { snapshots = false } = options;
  const app = await phone.openAppFacing(await photographQr(page));
  await appScreen(app, 'first-run');
  if (snapshots) await snapshot(app, '02-phone-first-run');
  await app.getByRole('button', { name: 'Scan the code to link' }).click();
  await appScreen(app, 'link-question');
  if (snapshots) await snapshot(app, '02b-phone-link-question');
  await app.getByRole('button', { name: 'Link', exact: true }).click();
  await appScreen(app, 'compare-code');
  const phoneCode = await codeOnThePhone(app, 'app-compare-code');
  if (snapshots) {
    await widgetStatus(page, 'confirm');
    await snapshot(app, '02c-phone-compare-code');
    await snapshot(page, '02d-desktop-compare-code');
  }
  await options.atTheCode?.(app);
  assert.equal(await answerTheCodeQuestion(page, true), phoneCode, 'the page shows the same code');
  await app.getByRole('button', { name: 'Done' }).click();
  await appScreen(app, 'home');
  return app;
}

/** A user who signed up and linked a phone, then logged out: the start of most stories. */
export async function linkedUser(
  system: System,
  browser: Browser,
  email: string,
  options: { authenticator?: boolean; atTheCode?: (app: Page) => Promise<void> } = {},
) {
  const phone = await Phone.create(`${system.urls.app}/`, {
    authenticator: options.authenticator ?? false,
  });
  const { context, page } = await newDesktop(browser);
  await signUp(page, system.urls.demo, email);
  await page.goto(`${system.urls.demo}/account/link`);
  await widgetStatus(page, 'pending');
  await linkThePhone(
    phone,
    page,
    options.atTheCode === undefined ? {} : { atTheCode: options.atTheCode },
  );
  await page.waitForURL(/\/account\?linked=1$/, { timeout: 20_000 });
  await logOut(page);
  return {
    phone,
    page,
    async dispose() {
      await context.close();
      await phone.dispose();
    },
  };
}

/** The phone scans what `page` shows and lands on the confirmation screen. */
export async function scanToConfirm(phone: Phone, page: Page): Promise<Page> {
  const app = await phone.openAppFacing(await photographQr(page));
  await appScreen(app, 'home');
  await app.getByRole('button', { name: 'Scan to log in' }).click();
  await appScreen(app, 'confirm');
  return app;
}

/**
 * After Accept the phone shows a code (browser and phone are not known to share a network: both
 * are this machine's loopback), and the user types it into the page that is logging in.
 */
export async function proveThePresence(app: Page, page: Page): Promise<void> {
  await appScreen(app, 'presence');
  await typeThePhonesCode(page, await codeOnThePhone(app, 'app-presence-proof'));
}
