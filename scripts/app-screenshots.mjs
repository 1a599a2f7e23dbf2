#!/usr/bin/env node
// The scanner app's screenshots: for the web manifest (public/screenshots/, shown by install
// dialogs) and for docs/app.md (docs/screenshots/app-*.png). Builds the app, runs a real Token
// Server, and drives the system's Chromium with a fake camera. Run with:
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

const harness = await startAppHarness();
try {
  const login = await harness.website.startLogin();
  const y4m = join(harness.dir, 'login.y4m');
  const qrText = formatAppUrl(harness.appUrl, login.code);
  await writeY4m(y4m, [qrFrame(qrText), qrFrame(qrText)]);

  // Without a code in front of the camera: first run, home, the scanner, the wide home.
  {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(),
    });
    const context = await browser.newContext({ viewport: NARROW, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(harness.appUrl);
    await page.locator('scanner-app[screen="first-run"]').waitFor();
    await page.screenshot({ path: 'docs/screenshots/app-first-run.png' });
    // Linking: the app asks first, then shows the code to compare with the linking page.
    const { id, compareCode } = await linkUpToTheCode(page, harness, 'alice', () =>
      page.screenshot({ path: 'docs/screenshots/app-link-question.png' }).then(() => undefined),
    );
    await page.screenshot({ path: 'docs/screenshots/app-compare-code.png' });
    await confirmOnTheLinkingPage(harness, id, compareCode);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('scanner-app[screen="home"]').waitFor();
    await page.screenshot({ path: 'public/screenshots/app-home-narrow.png' });
    await copyFile('public/screenshots/app-home-narrow.png', 'docs/screenshots/app-home.png');
    await page.setViewportSize(WIDE);
    await page.screenshot({ path: 'public/screenshots/app-home-wide.png' });
    await page.setViewportSize(NARROW);
    await page.getByRole('button', { name: 'Scan to log in' }).click();
    await page.locator('app-scanner[camera-state="live"]').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/app-scanner.png' });
    await browser.close();
  }

  // With the login QR in front of the camera: the confirmation and the result.
  {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(y4m),
    });
    const context = await browser.newContext({ viewport: NARROW, locale: 'en-GB' });
    const page = await context.newPage();
    await linkPhone(page, harness, 'alice');
    await page.locator('scanner-app[screen="home"]').waitFor();
    await page.getByRole('button', { name: 'Scan to log in' }).click();
    await page.locator('scanner-app[screen="confirm"]').waitFor();
    await page.screenshot({ path: 'public/screenshots/app-confirm-narrow.png' });
    await copyFile('public/screenshots/app-confirm-narrow.png', 'docs/screenshots/app-confirm.png');
    await page.getByRole('button', { name: 'Yes, log in' }).click();
    await page.locator('scanner-app[screen="result"]').waitFor();
    await page.screenshot({ path: 'docs/screenshots/app-result.png' });
    await browser.close();
  }
  console.log('Screenshots written to public/screenshots/ and docs/screenshots/app-*.png');
} finally {
  await harness.close();
}
