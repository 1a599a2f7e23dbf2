#!/usr/bin/env node
// The scanner app's screenshots: for the web manifest (public/screenshots/, shown by install
// dialogs) and for docs/app.md (docs/screenshots/app-*.png), one of every screen. Builds the
// app, runs a real Token Server, and drives the system's Chromium with a fake camera (en-GB, so
// dates read day, month, year). Run with:
//   node --import tsx scripts/app-screenshots.mjs
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { formatAppUrl } from '../src/protocol/index.ts';
import { startAppHarness } from '../test/app/support/app-harness.ts';
import { CHROMIUM_PATH, fakeCameraFlags } from '../test/app/support/fake-camera-browser.ts';
import {
  confirmOnTheLinkingPage,
  linkPhone,
  linkUpToTheCode,
} from '../test/app/support/link-phone.ts';
import { qrFrame, writeY4m } from '../test/app/support/qr-frames.ts';

const NARROW = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 800 };
const DOCS = 'docs/screenshots';

/** Waits until the app shows `screen` and its view has rendered. */
async function screen(page, name) {
  await page.locator(`scanner-app[screen="${name}"]`).waitFor({ timeout: 20_000 });
  await page.evaluate(() => document.querySelector('scanner-app')?.updateComplete);
}

async function shot(page, file, options = {}) {
  await page.screenshot({ path: file, ...options });
}

const harness = await startAppHarness();
try {
  const login = await harness.website.startLogin();
  const y4m = join(harness.dir, 'login.y4m');
  const qrText = formatAppUrl(harness.appUrl, login.code);
  await writeY4m(y4m, [qrFrame(qrText), qrFrame(qrText)]);

  // Without a code in front of the camera: first run, "Paste a link", linking, home, the
  // scanner while it looks, and after a while without a code (the fallbacks).
  {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(),
    });
    const context = await browser.newContext({ viewport: NARROW, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(harness.appUrl);
    await screen(page, 'first-run');
    await shot(page, `${DOCS}/app-first-run.png`);
    await page.getByRole('button', { name: 'Paste a link' }).click();
    await screen(page, 'scanner');
    await shot(page, `${DOCS}/app-paste-link.png`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await screen(page, 'first-run');
    // Linking: the app asks first, then shows the code to compare with the linking page.
    const { id, compareCode } = await linkUpToTheCode(page, harness, 'alice@example.com', () =>
      shot(page, `${DOCS}/app-link-question.png`),
    );
    await shot(page, `${DOCS}/app-compare-code.png`);
    // Headless Chromium has no platform authenticator: this is also the screen of a phone that
    // cannot check a fingerprint or face.
    await copyFile(`${DOCS}/app-compare-code.png`, `${DOCS}/app-compare-code-no-fingerprint.png`);
    await confirmOnTheLinkingPage(harness, id, compareCode);
    await page.getByRole('button', { name: 'Done' }).click();
    await screen(page, 'home');
    await shot(page, 'public/screenshots/app-home-narrow.png');
    await copyFile('public/screenshots/app-home-narrow.png', `${DOCS}/app-home.png`);
    await page.setViewportSize(WIDE);
    await shot(page, 'public/screenshots/app-home-wide.png');
    await page.setViewportSize(NARROW);
    await page.getByRole('button', { name: 'Scan to log in' }).click();
    await page.locator('app-scanner[camera-state="live"]').waitFor();
    // The fake camera's test pattern on screen (its first frames can be black).
    await page.waitForTimeout(500);
    await shot(page, `${DOCS}/app-scanner.png`);
    // No code for a while: the other ways in join the camera.
    await page.locator('app-scanner[offers-fallbacks]').waitFor({ timeout: 30_000 });
    await shot(page, `${DOCS}/app-scanner-fallbacks.png`, { fullPage: true });
    await browser.close();
  }

  // With the login QR in front of the camera: the confirmation and its results; then logins
  // opened as deep links (as from the phone's camera app): a denied one, one with a code to type.
  {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(y4m),
    });
    const context = await browser.newContext({ viewport: NARROW, locale: 'en-GB' });
    const page = await context.newPage();
    await linkPhone(page, harness, 'alice@example.com');
    await page.getByRole('button', { name: 'Scan to log in' }).click();
    await screen(page, 'confirm');
    await shot(page, 'public/screenshots/app-confirm-narrow.png');
    await copyFile('public/screenshots/app-confirm-narrow.png', `${DOCS}/app-confirm.png`);
    await page.getByRole('button', { name: 'Yes, log in' }).click();
    await screen(page, 'result');
    await shot(page, `${DOCS}/app-result.png`);
    // The same code once more: used already (a warning sign).
    await page.getByRole('button', { name: 'Done' }).click();
    await screen(page, 'home');
    await page.getByRole('button', { name: 'Scan to log in' }).click();
    await screen(page, 'result');
    await shot(page, `${DOCS}/app-result-used.png`);
    await page.getByRole('button', { name: 'Done' }).click();
    await screen(page, 'home');

    const denied = await harness.website.startLogin();
    await page.goto(formatAppUrl(harness.appUrl, denied.code));
    await screen(page, 'confirm');
    await page.getByRole('button', { name: 'No, deny' }).click();
    await screen(page, 'result');
    await shot(page, `${DOCS}/app-result-denied.png`);
    await page.getByRole('button', { name: 'Done' }).click();
    await screen(page, 'home');

    const presence = await harness.website.startLogin('otp_presence');
    await page.goto(formatAppUrl(harness.appUrl, presence.code));
    await screen(page, 'confirm');
    await page.getByRole('button', { name: 'Yes, log in' }).click();
    await screen(page, 'presence');
    await shot(page, `${DOCS}/app-presence.png`);
    await browser.close();
  }
  console.log('Screenshots written to public/screenshots/ and docs/screenshots/app-*.png');
} finally {
  await harness.close();
}
