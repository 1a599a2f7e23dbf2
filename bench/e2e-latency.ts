/*
 * npm run bench:e2e — how long a user waits: from the tap on "Yes, log in" on the phone to the
 * `otp-login-qr-accepted` event on the desktop page, over loopback with long-poll.
 *
 * 1. The system as `npm start` runs it: one Token Server on SQLite, in-process with the website.
 * 2. Scaled out: two Token Server processes sharing Redis; the website talks to instance A and
 *    the phone to instance B, so every answer crosses Redis pub/sub to wake the website's wait.
 *
 * The phone opens each login's QR URL directly (a deep link, as a phone's camera app does) so
 * that no camera start is in the measured path; the tap and the event are both stamped with
 * Date.now() in their pages (one machine, one clock). Target: p95 ≤ 100 ms.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { chromium, type Page } from 'playwright-core';
import { createDemoWebsite } from '../src/server/demo/index.js';
import { createPwaServer } from '../src/server/app-host/index.js';
import { CHROMIUM_PATH, fakeCameraFlags } from '../test/app/support/fake-camera-browser.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { freePort, startTokenServerProcess } from '../test/support/token-server-process.js';
import { buildOnce, startSystem, tokenServerConfig } from '../test/e2e/support/system.js';

const LOGINS = Number(process.env.BENCH_LOGINS ?? '30');
/** Time on the confirmation screen before the tap. BENCH_READING_MS=0 shows the worst case. */
const READING_MS = Number(process.env.BENCH_READING_MS ?? '2500');

interface Urls {
  demo: string;
  app: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function waitFor(page: Page, selector: string): Promise<void> {
  await page.locator(selector).waitFor({ timeout: 30_000 });
}

/** Signs a user up, links a phone by deep link, then times LOGINS logins. */
async function measure(urls: Urls): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: fakeCameraFlags(),
  });
  try {
    const phone = await (
      await browser.newContext({ viewport: { width: 390, height: 844 } })
    ).newPage();
    const desktopContext = await browser.newContext();
    const accepted: number[] = [];
    await desktopContext.exposeBinding('reportAccepted', (_source, at: number) => {
      accepted.push(at);
    });
    await desktopContext.addInitScript(() => {
      document.addEventListener('otp-login-qr-accepted', () => {
        (window as unknown as { reportAccepted: (at: number) => void }).reportAccepted(Date.now());
      });
    });
    const desktop = await desktopContext.newPage();

    // The QR text each start response carries, read as it passes (before any navigation).
    const shown: string[] = [];
    for (const endpoint of ['**/otp-login', '**/otp-link']) {
      await desktopContext.route(endpoint, async (route) => {
        const response = await route.fetch();
        if (route.request().method() === 'POST')
          shown.push(((await response.json()) as { qr: string }).qr);
        await route.fulfill({ response });
      });
    }
    const qrOf = async (page: Page, path: string) => {
      const before = shown.length;
      await page.goto(`${urls.demo}${path}`);
      await waitFor(page, 'otp-login-qr[status="pending"]');
      const qr = shown[before];
      if (qr === undefined) throw new Error('no QR was shown');
      return qr;
    };

    await desktop.goto(`${urls.demo}/signup`);
    await desktop.getByLabel('Email').fill('bench@example.com');
    await desktop.getByLabel(/^Password/).fill('correct horse battery staple');
    await desktop.getByRole('button', { name: 'Sign up' }).click();
    await desktop.waitForURL(/\/account$/);
    await phone.goto(await qrOf(desktop, '/account/link'));
    await waitFor(phone, 'scanner-app[screen="home"]');
    await desktop.waitForURL(/\/account\?linked=1$/);
    await desktop.getByRole('button', { name: 'Log out' }).click();

    const latencies: number[] = [];
    for (let round = 0; round < LOGINS; round += 1) {
      await phone.goto(await qrOf(desktop, '/login'));
      await waitFor(phone, 'scanner-app[screen="confirm"]');
      await waitFor(desktop, 'otp-login-qr[status="scanned"]');
      // A person reads the confirmation screen before tapping; by then the page's next
      // long-poll is held (the kit's interval is 2 s, counted from the previous poll's start).
      await new Promise((resolve) => setTimeout(resolve, READING_MS));
      const before = accepted.length;
      const tappedAt = await phone.evaluate(() => Date.now());
      await phone.getByRole('button', { name: 'Yes, log in' }).click();
      await desktop.waitForURL(/\/account$/, { timeout: 30_000 });
      const at = accepted[before];
      if (at === undefined) throw new Error('no otp-login-qr-accepted event');
      latencies.push(at - tappedAt);
      await desktop.getByRole('button', { name: 'Log out' }).click();
      await desktop.waitForURL((url) => !url.pathname.startsWith('/account'));
    }
    return latencies;
  } finally {
    await browser.close();
  }
}

function report(name: string, latencies: number[]): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(44)} n=${sorted.length}  p50 ${percentile(sorted, 50).toFixed(0)} ms  p95 ${percentile(sorted, 95).toFixed(0)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`,
  );
}

function listen(app: Hono, port: number) {
  return serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
}

const builds = await buildOnce();
console.log(
  `Accept tap on the phone → otp-login-qr-accepted on the desktop page, ${LOGINS} logins, ${READING_MS} ms on the confirmation screen first\n`,
);

// BENCH_SETUPS=redis runs one of the two setups.
const setups = (process.env.BENCH_SETUPS ?? 'sqlite,redis').split(',');
if (setups.includes('sqlite')) {
  const system = await startSystem(builds);
  try {
    report('SQLite, one Token Server (as npm start)', await measure(system.urls));
  } finally {
    await system.close();
  }
}
if (!setups.includes('redis')) {
  await rm(builds.dir, { recursive: true, force: true });
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), 'otp-bench-e2e-'));
const redis = await startRedisServer();
const [demoPort, appPort] = [await freePort(), await freePort()];
const urls = { demo: `http://localhost:${demoPort}`, app: `http://localhost:${appPort}` };
const secret = randomBytes(32).toString('base64url');
const base = tokenServerConfig(60);
const config = {
  ...base,
  clients: base.clients.map((client) => ({
    ...client,
    secretSha256: createHash('sha256').update(secret).digest('hex'),
    callbackUris: [`${urls.demo}/otp-login/callback`],
  })),
  appOrigins: [urls.app],
  // A Redis thrown away after the run, without an append-only file, so that the figures compare.
  redis: { acceptDataLoss: true },
};
await writeFile(join(dir, 'config.json'), JSON.stringify(config));
const env = {
  TOKEN_SERVER_CONFIG: join(dir, 'config.json'),
  REDIS_URL: redis.url,
  LOG_LEVEL: 'error',
};
const [instanceA, instanceB] = await Promise.all([
  startTokenServerProcess(env),
  startTokenServerProcess(env),
]);
const demo = createDemoWebsite({
  publicOrigin: urls.demo,
  appUrl: `${urls.app}/`,
  tokenServer: { url: instanceA.url, clientId: 'demo-website', clientSecret: secret },
  secondFactorType: 'otp_second_factor',
  databasePath: join(dir, 'demo.db'),
  widgetScriptPath: builds.widgetScript,
});
const servers = [
  listen(demo.app, demoPort),
  listen(createPwaServer({ root: builds.appDir, tokenServerUrl: instanceB.url }), appPort),
];
try {
  report('Redis, two Token Servers (website A, phone B)', await measure(urls));
} finally {
  for (const server of servers) server.close();
  demo.close();
  await Promise.all([instanceA.stop(), instanceB.stop()]);
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(builds.dir, { recursive: true, force: true });
}
