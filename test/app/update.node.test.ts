/*
 * The update prompt with a real service worker: a new version deployed while the app is open
 * installs and waits; the app says "A new version is ready" and, on Reload, the new version takes
 * over and the page reloads into it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { CHROMIUM_PATH, fakeCameraFlags } from './support/fake-camera-browser.js';

describe('the update prompt (workbox-window, prompt strategy)', () => {
  let harness: AppHarness;
  let profileDir: string;
  let context: BrowserContext;

  before(async () => {
    harness = await startAppHarness();
    profileDir = await mkdtemp(join(tmpdir(), 'otp-app-update-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(),
    });
  });

  after(async () => {
    await context.close();
    await rm(profileDir, { recursive: true, force: true });
    await harness.close();
  });

  it('waits for the user, then reloads into the new version', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(harness.appUrl);
    await page.locator('scanner-app[screen="first-run"]').waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const oldScript = await page.evaluate(
      () => document.querySelector('script[type="module"]')?.getAttribute('src') ?? '',
    );
    const oldWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

    await harness.deployNewVersion();
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await page.locator('app-update-prompt').waitFor({ timeout: 20_000 });
    assert.equal(
      await page.evaluate(() => navigator.serviceWorker.controller?.state),
      'activated',
      'the old version still runs the page while the new one waits',
    );
    const promptText = await page
      .locator('app-update-prompt')
      .evaluate((element) => element.shadowRoot?.textContent.replace(/\s+/g, ' ') ?? '');
    assert.match(promptText, /A new version is ready\./);

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await page.locator('scanner-app[screen="first-run"]').waitFor();
    const newScript = await page.evaluate(
      () => document.querySelector('script[type="module"]')?.getAttribute('src') ?? '',
    );
    assert.notEqual(newScript, oldScript, 'the page runs the new version');
    assert.equal(await page.locator('app-update-prompt').count(), 0);
    assert.equal(
      await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL),
      oldWorker,
      'the same service worker URL, now the new version',
    );
  });
});
