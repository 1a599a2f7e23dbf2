/*
 * End to end in Chromium: the built app, a fake camera that shows a login QR made by the test,
 * a real Token Server, and the website kit for the linking page. Link the phone (ask, compare
 * the code, confirm on the page), scan, answer; the website sees the answer.
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
import {
  confirmOnTheLinkingPage,
  linkPhone,
  linkUpToTheCode,
  shownCode,
} from './support/link-phone.js';
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

  it('links through a deep link after asking and comparing codes, scans, accepts: the website sees the login accepted', async () => {
    const { login, browser } = await scenario('accept');
    const { page } = browser;
    try {
      // A phone's camera app opens the linking page's QR: the app starts with the code in the
      // fragment, and asks before it links.
      const { id, compareCode } = await linkUpToTheCode(
        page,
        harness,
        'alice@example.com',
        async () => {
          const question = await shadowText(page, 'app-link-question');
          assert.match(question, /Link this phone to alice@example\.com at Demo Bank\?/);
          assert.match(question, /Browser of the linking page \(as it calls itself\)/);
          assert.match(question, /Firefox 128 on Windows 10/);
          // Loopback addresses say nothing about a network: the honest verdict is "not known".
          assert.match(question, /Not known: it may be another network than this phone/);
          assert.match(question, /If someone sent you this code or asked you to scan it, cancel/);
          assert.equal(new URL(page.url()).hash, '', 'the code leaves the address bar');
          await expectAxeClean(page, 'link question');
        },
      );
      assert.match(compareCode, /^\d{6}$/);
      assert.match(await shadowText(page, 'app-compare-code'), /Check that the linking page/);
      await expectAxeClean(page, 'compare code');
      await confirmOnTheLinkingPage(harness, id, compareCode);
      await page.getByRole('button', { name: 'Done' }).click();
      await screen(page, 'home');
      assert.match(await shadowText(page, 'app-home'), /alice@example\.com at Demo Bank/);
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
      assert.doesNotMatch(confirmation, /this phone shows a code/, 'no proof of presence asked');
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

  it('links by pasting the link, scans, denies: the website sees the login denied', async () => {
    const { login, browser } = await scenario('deny');
    const { page } = browser;
    try {
      await page.goto(harness.appUrl);
      await screen(page, 'first-run');
      await expectAxeClean(page, 'first run');
      const link = await harness.linkingPage.start('bob@example.com');
      // The user's phone copied the link the linking page's QR holds (from a screenshot, say).
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.evaluate((text) => navigator.clipboard.writeText(text), link.qr);
      await page.getByRole('button', { name: 'Paste a link' }).click();
      await screen(page, 'scanner');
      await expectAxeClean(page, 'paste a link');
      // Pasted, it runs as a scan does: no button to press.
      await page.getByLabel('Paste the link of the code').focus();
      await page.keyboard.press('ControlOrMeta+V');
      await screen(page, 'link-question');
      assert.match(
        await shadowText(page, 'app-link-question'),
        /Link this phone to bob@example\.com at Demo Bank\?/,
      );
      await page.getByRole('button', { name: 'Link', exact: true }).click();
      await screen(page, 'compare-code');
      await confirmOnTheLinkingPage(harness, link.id, await shownCode(page, 'app-compare-code'));
      await page.getByRole('button', { name: 'Done' }).click();
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

  it('answers no login before the website confirmed the link, and says why', async () => {
    const browser = await launchWithFakeCamera();
    const { page } = browser;
    try {
      const { id, compareCode } = await linkUpToTheCode(page, harness, 'carol@example.com');
      await page.getByRole('button', { name: 'Done' }).click();
      await screen(page, 'home');
      assert.match(
        await shadowText(page, 'app-home'),
        /Confirm on the linking page of Demo Bank that it shows the same code/,
      );

      const early = await harness.website.startLogin();
      await page.goto(formatAppUrl(harness.appUrl, early.code));
      await screen(page, 'result');
      const refused = await shadowText(page, 'app-result');
      assert.match(refused, /Confirm the link on the website first/);
      assert.match(refused, /The account stays on this phone/);
      await expectAxeClean(page, 'link not confirmed');
      assert.equal((await harness.website.result(early.transactionId)).is_authenticated, false);

      await confirmOnTheLinkingPage(harness, id, compareCode);
      const login = await harness.website.startLogin();
      await page.goto(formatAppUrl(harness.appUrl, login.code));
      await screen(page, 'confirm');
      await page.getByRole('button', { name: 'Yes, log in' }).click();
      await screen(page, 'result');
      assert.equal((await harness.website.result(login.transactionId)).is_authenticated, true);
    } finally {
      await closeBrowser(browser);
    }
  });

  it('with proof of presence, logs in only when the browser types the code the phone shows', async () => {
    const browser = await launchWithFakeCamera();
    const { page } = browser;
    try {
      await linkPhone(page, harness, 'dave@example.com');
      const login = await harness.website.startLogin('otp_presence');
      await page.goto(formatAppUrl(harness.appUrl, login.code));
      await screen(page, 'confirm');
      assert.match(
        await shadowText(page, 'app-confirmation'),
        /After you tap “Yes, log in”, this phone shows a code: type it in the browser that is logging in/,
      );
      await page.getByRole('button', { name: 'Yes, log in' }).click();
      await screen(page, 'presence');
      assert.match(
        await shadowText(page, 'app-presence-proof'),
        /Never read it out or send it to anyone: nobody from Demo Bank will ask you for it/,
      );
      await expectAxeClean(page, 'presence code');
      const code = await shownCode(page, 'app-presence-proof');
      assert.match(code, /^\d{6}$/);
      const waiting = await harness.website.result(login.transactionId);
      assert.equal(waiting.is_authenticated, false, 'accepted on the phone is not logged in yet');
      assert.equal(waiting.status, 'confirm');

      const proven = await harness.website.provePresence(login.transactionId, code);
      assert.equal(proven.is_authenticated, true);
      assert.equal(proven.user_id, 'dave@example.com');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await closeBrowser(browser);
    }
  });

  it('a stolen link code: the owner’s phone says another phone used it, and the owner’s No unlinks that phone', async () => {
    const browser = await launchWithFakeCamera();
    const { page } = browser;
    // The thief's phone: the app in a browser of its own (its own storage, its own key).
    const thiefContext = await browser.browser.newContext();
    const thief = await thiefContext.newPage();
    try {
      const link = await harness.linkingPage.start('erin@example.com');
      // Someone who saw the QR (over a shoulder, in a screen share) links first.
      await thief.goto(link.qr);
      await screen(thief, 'link-question');
      await thief.getByRole('button', { name: 'Link', exact: true }).click();
      await screen(thief, 'compare-code');
      const thiefCode = await shownCode(thief, 'app-compare-code');

      await page.goto(link.qr);
      await screen(page, 'result');
      const used = await shadowText(page, 'app-result');
      assert.match(used, /Another phone used this code/);
      assert.match(used, /On the linking page, say that the codes do not match \(No\)/);
      await expectAxeClean(page, 'link code used');

      // The page shows the thief's code, which the owner's phone never showed: they say No.
      const asked = await harness.linkingPage.status(link.id, 5);
      assert.equal(asked.status, 'confirm');
      assert.equal(asked.compare_code, thiefCode);
      assert.equal((await harness.linkingPage.confirm(link.id, false)).status, 'denied');

      await thief.getByRole('button', { name: 'Done' }).click();
      await screen(thief, 'home');
      const login = await harness.website.startLogin();
      await thief.goto(formatAppUrl(harness.appUrl, login.code));
      await screen(thief, 'result');
      assert.match(await shadowText(thief, 'app-result'), /This phone is no longer linked/);
      assert.equal((await harness.website.result(login.transactionId)).is_authenticated, false);
    } finally {
      await thiefContext.close();
      await closeBrowser(browser);
    }
  });
});
