/*
 * The whole system as a user meets it: `npm start`'s three origins, the built <otp-login-qr> in
 * Chromium under the demo's CSP, and a phone (test/support/test-device.ts) on the mobile API.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeQrPayload, parseStartLoginResponse } from '../../src/protocol/index.js';
import { scan } from '../kit/kit-harness.js';
import { TokenServerClient } from '../server/token-server-fixture.js';
import { createTestDevice } from '../support/test-device.js';
import { freePort, untilPrinted } from '../support/token-server-process.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('demo website in Chromium with the widget', () => {
  let child: ChildProcess;
  let dataDir: string;
  let browser: Browser;
  let demo: string;
  let tokenServer: TokenServerClient;

  before(async () => {
    // The widget's own build script (fast): the demo serves its bundle at /otp-login-qr.js.
    const built = spawnSync(process.execPath, ['scripts/build-widget.mjs'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    dataDir = await mkdtemp(join(tmpdir(), 'otp-e2e-'));
    const [tokenPort, demoPort, appPort] = [await freePort(), await freePort(), await freePort()];
    child = spawn(
      process.execPath,
      [
        'scripts/start.mjs',
        '--skip-build',
        '--data-dir',
        dataDir,
        '--token-server-port',
        String(tokenPort),
        '--demo-port',
        String(demoPort),
        '--app-port',
        String(appPort),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'error' } },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await untilPrinted(child, () => output, 'Press Ctrl-C to stop.');
    demo = `http://localhost:${demoPort}`;
    tokenServer = new TokenServerClient(`http://127.0.0.1:${tokenPort}`, (request) =>
      fetch(request),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  after(async () => {
    await browser.close();
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The widget's start response on this page (its QR text), passed through on its way. */
  async function qrShownBy(page: Page, endpoint: string, path: string) {
    const url = `${demo}${endpoint}`;
    let resolve: (body: unknown) => void = () => undefined;
    const seen = new Promise<unknown>((done) => (resolve = done));
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const body: unknown = await response.json();
      if (response.status() === 201) resolve(body);
      await route.fulfill({ response });
    });
    await page.goto(`${demo}${path}`);
    const body = await seen;
    await page.unroute(url);
    return parseStartLoginResponse(body);
  }

  it('sign up, link a phone, log out, log in by QR — with no CSP violation', async () => {
    // A reader in the Netherlands with an English browser: the page's times are theirs.
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Amsterdam' });
    await context.addInitScript(() => {
      const record = window as unknown as { cspViolations: string[] };
      record.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        record.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const page = await context.newPage();
    const violations = () =>
      page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    await page.goto(`${demo}/signup`);
    await page.getByLabel('Email').fill('walker@example.com');
    await page.getByLabel(/Password/).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${demo}/account`);
    assert.match((await page.textContent('main')) ?? '', /No phone is linked yet/);

    const link = await qrShownBy(page, '/otp-link', '/account/link');
    await page.locator('otp-login-qr').waitFor();
    // The element speaks of linking the phone here, not of logging in.
    await page.getByText('Scan this code with the app on your phone to link it.').waitFor();
    const payload = decodeQrPayload(link.qr);
    assert.equal(payload.kind, 'enrollment');
    const phone = await createTestDevice();
    tokenServer.now = Date.now();
    const enrolled = await tokenServer.completeEnrollment(phone, payload);
    assert.equal(enrolled.status, 201);
    const linked = (await enrolled.json()) as { device_id: string; compare_code: string };
    phone.deviceId = linked.device_id;
    // The page shows the phone's code and asks whether they match; yes links the phone, and the
    // widget follows redirect_to.
    await page.locator('otp-login-qr[status="confirm"]').waitFor({ timeout: 20_000 });
    assert.equal(
      (await page.locator('otp-login-qr [part="code"]').innerText()).replace(/\s+/g, ''),
      linked.compare_code,
    );
    await page.getByRole('button', { name: 'Yes, link this phone' }).click();
    await page.waitForURL(`${demo}/account?linked=1`, { timeout: 20_000 });
    assert.match((await page.textContent('main')) ?? '', /Test phone/);
    // Written as the scanner app writes a moment, in the reader's time zone (CET is UTC+1 in
    // December, CEST UTC+2 in summer): "linked 7 Dec 2026, 04:12".
    const linkedAt = page.locator('.devices time').first();
    await linkedAt.filter({ hasNotText: 'UTC' }).waitFor();
    const shown = (await linkedAt.textContent()) ?? '';
    assert.match(shown, /^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}$/);
    const utc = new Date((await linkedAt.getAttribute('datetime')) ?? '');
    const hourThere = Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', timeZone: 'Europe/Amsterdam' }).format(
        utc,
      ),
    );
    assert.equal(Number(shown.slice(-5, -3)), hourThere);
    assert.deepEqual(await violations(), []);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${demo}/`);

    const login = await qrShownBy(page, '/otp-login', '/login');
    const svg = page.locator('otp-login-qr').locator('svg').first();
    await svg.waitFor({ timeout: 10_000 });
    tokenServer.now = Date.now();
    const answered = (await (await scan(tokenServer, phone, login.qr)).answer('accept')) as {
      presence_code?: string;
    };
    // npm start's example config asks a browser not known to share the phone's network (here
    // loopback) for the code the phone shows.
    assert.match(answered.presence_code ?? '', /^\d{6}$/);
    await page.getByLabel('Code from your phone').fill(answered.presence_code ?? '');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(`${demo}/account`, { timeout: 20_000 });
    assert.match((await page.textContent('header')) ?? '', /walker@example.com/);
    assert.deepEqual(await violations(), []);
    await context.close();
  });
});
