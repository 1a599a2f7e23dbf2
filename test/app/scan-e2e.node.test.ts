/*
 * End to end in Chromium: the built app, a fake camera that shows a login QR made by the test,
 * and a real Token Server. Link the phone, scan, confirm; the website sees the answer.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type AxeCore from 'axe-core';
import type { Page } from 'playwright-core';
import { formatAppUrl } from '../../src/protocol/index.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { launchWithFakeCamera, type FakeCameraBrowser } from './support/fake-camera-browser.js';
import { qrFrame, writeY4m } from './support/qr-frames.js';
import { asRead } from '../support/as-read.js';

const require = createRequire(import.meta.url);

describe('the scanner app, end to end with a fake camera and a real Token Server', () => {
  let harness: AppHarness;
  let axeSource: string;

  before(async () => {
    harness = await startAppHarness();
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  });

  after(async () => {
    await harness.close();
  });

  /** A login started by the website, its QR in a y4m, and Chromium whose camera shows it. */
  async function scenario(name: string) {
    const login = await harness.website.startLogin();
    const qrText = formatAppUrl(harness.appUrl, login.code);
    const y4m = join(harness.dir, `${name}.y4m`);
    await writeY4m(y4m, [qrFrame(qrText), qrFrame(qrText)]);
    const browser = await launchWithFakeCamera(y4m);
    return { login, browser };
  }

  async function screen(page: Page, name: string): Promise<void> {
    await page.locator(`scanner-app[screen="${name}"]`).waitFor({ timeout: 15_000 });
  }

  async function expectAxeClean(page: Page, where: string): Promise<void> {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof AxeCore }).axe;
      const results = await axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((violation) => `${violation.id}: ${violation.help}`);
    });
    assert.deepEqual(violations, [], `axe on the ${where} screen`);
  }

  /** The text a screen shows (its shadow root), whitespace collapsed. */
  async function shadowText(page: Page, tag: string): Promise<string> {
    const text = await page
      .locator(tag)
      .evaluate((element) => element.shadowRoot?.textContent ?? '');
    return asRead(text);
  }

  /** The next camera waits (see recordStreamsAndCspViolations) until releaseCamera. */
  async function holdCamera(page: Page): Promise<void> {
    await page.evaluate(() => {
      (window as unknown as { holdCamera: () => void }).holdCamera();
    });
  }

  async function releaseCamera(page: Page): Promise<void> {
    await page.evaluate(() => {
      (window as unknown as { releaseCamera: () => void }).releaseCamera();
    });
  }

  async function liveTracks(page: Page): Promise<number> {
    return page.evaluate(
      () =>
        (window as unknown as { streams: MediaStream[] }).streams
          .flatMap((stream) => stream.getTracks())
          .filter((track) => track.readyState !== 'ended').length,
    );
  }

  async function cspViolations(page: Page): Promise<string[]> {
    return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  }

  async function closeBrowser({ browser }: FakeCameraBrowser): Promise<void> {
    await browser.close();
  }

  it('links through a deep link, scans, accepts: the website sees the login accepted', async () => {
    const { login, browser } = await scenario('accept');
    const { page } = browser;
    try {
      const enrollment = await harness.website.startEnrollment('alice@example.com');
      // A phone's camera app opens the QR's URL: the app starts with the code in the fragment.
      await page.goto(formatAppUrl(harness.appUrl, enrollment));
      await screen(page, 'home');
      assert.match(await shadowText(page, 'app-home'), /alice@example\.com at Demo Bank/);
      assert.equal(new URL(page.url()).hash, '', 'the code leaves the address bar');
      await expectAxeClean(page, 'home');

      await holdCamera(page);
      await page.getByRole('button', { name: 'Scan to log in' }).click();
      await screen(page, 'scanner');
      await expectAxeClean(page, 'scanner');
      await releaseCamera(page);
      await screen(page, 'confirm');
      assert.equal(await liveTracks(page), 0, 'no camera track is left live after the scan');
      const confirmation = await shadowText(page, 'app-confirmation');
      assert.match(confirmation, /Log in to Demo Bank\?/);
      assert.match(confirmation, /Firefox 128 on Windows 10/);
      assert.match(confirmation, /Log in to Demo Bank/);
      await expectAxeClean(page, 'confirmation');

      await page.getByRole('button', { name: 'Yes, log in' }).click();
      await screen(page, 'result');
      assert.match(await shadowText(page, 'app-result'), /You are logged in/);
      await expectAxeClean(page, 'result');
      const result = await harness.website.result(login.transactionId);
      assert.equal(result.is_authenticated, true);
      assert.equal(result.user_id, 'alice@example.com');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await closeBrowser(browser);
    }
  });

  it('links by typing the code, scans, denies: the website sees the login denied', async () => {
    const { login, browser } = await scenario('deny');
    const { page } = browser;
    try {
      await page.goto(harness.appUrl);
      await screen(page, 'first-run');
      await expectAxeClean(page, 'first run');
      await page.getByRole('button', { name: 'Type the code instead' }).click();
      await screen(page, 'scanner');
      await page
        .getByLabel('Type or paste the code')
        .fill(await harness.website.startEnrollment('bob@example.com'));
      await page.getByRole('button', { name: 'Use this code' }).click();
      await screen(page, 'home');

      await page.getByRole('button', { name: 'Scan to log in' }).click();
      await screen(page, 'confirm');
      assert.equal(await liveTracks(page), 0);
      await page.getByRole('button', { name: 'No, deny' }).click();
      await screen(page, 'result');
      assert.match(await shadowText(page, 'app-result'), /Login denied/);
      const result = await harness.website.result(login.transactionId);
      assert.equal(result.is_authenticated, false);
      assert.equal(
        (result.not_authenticated_reason as { reason: string } | undefined)?.reason,
        'not_accepted',
      );
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await closeBrowser(browser);
    }
  });
});
