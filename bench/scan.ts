/*
 * npm run bench:scan — the scanner's figures, in the system's Chromium:
 * 1. every decoder the app can use (zxing in the worker; the native BarcodeDetector where this
 *    Chromium has one) over generated 640×480 camera frames of seven kinds: decode rate and ms
 *    per frame, side by side, and the longest the page's thread was held meanwhile;
 * 2. the time from tapping "Scan to log in", with the QR already in front of Chromium's fake
 *    camera, to the confirmation screen (camera start included), against a real Token Server;
 * 3. the first screen's JS and CSS, gzipped, and the chunks fetched only when the scanner opens.
 * BENCH_FRAMES (frames per kind, default 30) and BENCH_RUNS (scan runs, default 7) change the size.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { formatAppUrl } from '../src/protocol/index.js';
import { startAppHarness } from '../test/app/support/app-harness.js';
import { CHROMIUM_PATH, fakeCameraFlags } from '../test/app/support/fake-camera-browser.js';
import { qrFrame, writeY4m } from '../test/app/support/qr-frames.js';
import type { BenchOutput } from './scan/decoder-bench.js';

const FRAMES = Number(process.env.BENCH_FRAMES ?? '30');
const RUNS = Number(process.env.BENCH_RUNS ?? '7');

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(1));

async function benchDecoders(): Promise<void> {
  const server = await createServer({
    configFile: false,
    root: process.cwd(),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0 },
    worker: { format: 'es' },
    // Every dependency of the page is an ES module; discovering them would reload the page.
    optimizeDeps: { noDiscovery: true },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (base === undefined) throw new Error('The bench page server has no URL.');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: fakeCameraFlags(),
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}bench/scan/index.html`);
    await page.waitForFunction(() => 'runBench' in window);
    const output = await page.evaluate(
      (frames) =>
        (window as unknown as { runBench(n: number): Promise<BenchOutput> }).runBench(frames),
      FRAMES,
    );
    const version = browser.version();
    console.log(`\nDecoders — ${FRAMES} frames per kind, 640×480 camera frames`);
    console.log(
      `Chromium ${version}; native BarcodeDetector for QR codes: ${output.barcodeDetector ? 'yes' : 'no (this Chromium has none, as usual on Linux): zxing in the worker is the only decoder'}`,
    );
    console.log('Per kind: decoded / frames, then median and p95 ms per frame in the worker\n');
    const names = output.results.map((result) => `${result.decoder} (${result.region})`);
    console.log(['kind'.padEnd(14), ...names.map((name) => name.padEnd(30))].join(' | '));
    const kindCount = output.results[0]?.kinds.length ?? 0;
    for (let k = 0; k < kindCount; k += 1) {
      const cells = [String(output.results[0]?.kinds[k]?.kind).padEnd(14)];
      for (const result of output.results) {
        const kind = result.kinds[k];
        if (kind === undefined) continue;
        const rate = `${kind.decoded}/${kind.frames}`.padStart(5);
        const median = ms(quantile(kind.workerMs, 0.5)).padStart(5);
        const p95 = ms(quantile(kind.workerMs, 0.95)).padStart(5);
        cells.push(`${rate}  ${median} ms  p95 ${p95} ms`.padEnd(30));
      }
      console.log(cells.join(' | '));
    }
    console.log('');
    const { idle } = output;
    console.log(
      `page thread with nothing decoding (${idle.seconds} s, the machine's own noise): longest stall ${ms(idle.longestStallMs)} ms, ${idle.stallsOver16Ms} stalls over 16 ms`,
    );
    for (const result of output.results) {
      const all = result.kinds.flatMap((kind) => kind.workerMs);
      const trips = result.kinds.flatMap((kind) => kind.roundTripMs);
      const decoded = result.kinds.reduce((sum, kind) => sum + kind.decoded, 0);
      const frames = result.kinds.reduce((sum, kind) => sum + kind.frames, 0);
      console.log(
        `${result.decoder} (${result.region}): ${decoded}/${frames} decoded; ${ms(quantile(all, 0.5))} ms median per frame (p95 ${ms(quantile(all, 0.95))}), ${ms(quantile(trips, 0.5))} ms median round trip from the page; page thread: longest stall ${ms(result.longestStallMs)} ms, ${result.stallsOver16Ms} stalls over 16 ms`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function benchScanToConfirmation(): Promise<void> {
  const harness = await startAppHarness();
  const profileDir = await mkdtemp(join(tmpdir(), 'otp-bench-profile-'));
  try {
    await printFirstScreenSize(join(harness.dir, 'app'));
    // Link the phone once; the profile (IndexedDB) stays for every run.
    {
      const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: fakeCameraFlags(),
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(formatAppUrl(harness.appUrl, await harness.website.startEnrollment()));
      await page.locator('scanner-app[screen="home"]').waitFor();
      await context.close();
    }
    const totals: number[] = [];
    const cameraStarts: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const login = await harness.website.startLogin();
      const y4m = join(harness.dir, `run-${run}.y4m`);
      const text = formatAppUrl(harness.appUrl, login.code);
      await writeY4m(y4m, [qrFrame(text), qrFrame(text)]);
      const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: fakeCameraFlags(y4m),
      });
      await context.addInitScript(() => {
        const devices = navigator.mediaDevices as MediaDevices | undefined;
        if (devices === undefined) return;
        const original = devices.getUserMedia.bind(devices);
        devices.getUserMedia = async (constraints) => {
          const stream = await original(constraints);
          (window as unknown as { cameraLiveAt: number }).cameraLiveAt = performance.now();
          return stream;
        };
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(harness.appUrl);
        await page.locator('scanner-app[screen="home"]').waitFor();
        // A user reads the home screen before tapping; the app fetches the scanner's screen then.
        await page.waitForTimeout(1000);
        await page.evaluate(() => {
          const app = document.querySelector('scanner-app');
          const home = app?.shadowRoot?.querySelector('app-home');
          const button = home?.shadowRoot?.querySelector<HTMLButtonElement>('button.big');
          if (app === null || button === null || button === undefined) {
            throw new Error('no "Scan to log in" button');
          }
          const marks = window as unknown as { tappedAt: number; confirmAt?: number };
          new MutationObserver(() => {
            if (app.getAttribute('screen') === 'confirm' && marks.confirmAt === undefined) {
              marks.confirmAt = performance.now();
            }
          }).observe(app, { attributes: true, attributeFilter: ['screen'] });
          marks.tappedAt = performance.now();
          button.click();
        });
        await page.locator('scanner-app[screen="confirm"]').waitFor({ timeout: 20_000 });
        const marks = await page.evaluate(() => {
          const w = window as unknown as {
            tappedAt: number;
            confirmAt: number;
            cameraLiveAt: number;
          };
          return { total: w.confirmAt - w.tappedAt, camera: w.cameraLiveAt - w.tappedAt };
        });
        totals.push(marks.total);
        cameraStarts.push(marks.camera);
      } finally {
        await context.close();
      }
    }
    console.log(
      `\nTap "Scan to log in" → confirmation screen, QR in front of the fake camera, ${RUNS} runs`,
    );
    console.log(
      '(tapped 1 s after the home screen appeared, as a user would; camera start, worker start, decoding, and the redeem call to a real Token Server)',
    );
    console.log(
      `total:        median ${ms(quantile(totals, 0.5))} ms, max ${ms(Math.max(...totals))} ms  [${totals.map(ms).join(', ')}]`,
    );
    console.log(
      `camera start: median ${ms(quantile(cameraStarts, 0.5))} ms (getUserMedia resolved)`,
    );
  } finally {
    await rm(profileDir, { recursive: true, force: true });
    await harness.close();
  }
}

async function printFirstScreenSize(outDir: string): Promise<void> {
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  const first = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1] ?? '',
  );
  let total = 0;
  const parts: string[] = [];
  for (const file of first) {
    const size = gzipSync(await readFile(join(outDir, file))).length;
    total += size;
    parts.push(`${file} ${(size / 1024).toFixed(1)} KB`);
  }
  console.log(`\nFirst screen, gzipped: ${(total / 1024).toFixed(1)} KB (${parts.join(', ')})`);
  const { readdir } = await import('node:fs/promises');
  const later = (await readdir(join(outDir, 'assets'))).filter(
    (file) => file.endsWith('.js') && !first.includes(`assets/${file}`),
  );
  const laterParts: string[] = [];
  for (const file of later) {
    const size = gzipSync(await readFile(join(outDir, 'assets', file))).length;
    laterParts.push(`${file} ${(size / 1024).toFixed(1)} KB`);
  }
  console.log(
    `Not on the first screen, gzipped (the scanner screen when home is idle; the worker and @zxing/browser when the scanner opens): ${laterParts.join(', ')}`,
  );
}

console.log(
  `bench:scan on ${cpus().length} cores, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} (other work on the machine shows up as stalls and slow frames)`,
);
await benchDecoders();
await benchScanToConfirmation();
