/*
 * The scanner app as the Token Server hosts it (createPwaServer, its CSP headers): WebAssembly
 * only in the decoding worker. The worker's script gets 'wasm-unsafe-eval', every other response
 * the strict policy; in Chromium the worker compiles zxing-cpp and reads a code with it, while
 * the page itself may not compile WebAssembly, and no CSP violation is reported on the page.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { createPwaServer } from '../../src/server/app-host/pwa-static-server.js';
import { CHROMIUM_PATH, fakeCameraFlags } from './support/fake-camera-browser.js';
import { greyToRgba, qrFrame } from './support/qr-frames.js';

const TEXT = 'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708209828027';

describe('the hosted scanner app: WebAssembly in the decoding worker only', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let workerPath: string;
  let browser: Browser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'otp-app-csp-'));
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: dir } });
    const worker = (await readdir(join(dir, 'assets'))).find((file) =>
      file.startsWith('decode-worker-'),
    );
    assert.ok(worker !== undefined, 'the build has a decoding worker');
    workerPath = `/assets/${worker}`;
    const app = createPwaServer({ root: dir, tokenServerUrl: 'http://127.0.0.1:9' });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(),
    });
  });

  after(async () => {
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("sends 'wasm-unsafe-eval' for the decoding worker's script only", async () => {
    const workerCsp = (await fetch(`${base}${workerPath}`)).headers.get('content-security-policy');
    assert.match(workerCsp ?? '', /script-src 'self' 'wasm-unsafe-eval';/);
    for (const path of ['/', '/index.html', '/sw.js']) {
      const csp = (await fetch(`${base}${path}`)).headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self';/, path);
      assert.doesNotMatch(csp, /wasm|unsafe-eval/, path);
    }
  });

  it('reads a code with zxing-cpp in the worker, while the page may not compile WebAssembly', async () => {
    const page = await browser.newPage();
    try {
      await page.addInitScript(() => {
        const record = window as unknown as { cspViolations: string[] };
        record.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => {
          record.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      await page.goto(`${base}/`);
      const frame = qrFrame(TEXT, { width: 320, height: 240 });
      const answer: unknown = await page.evaluate(
        async ({ script, rgba, width, height }) => {
          // The worker as the app starts it, asked for a picture with zxing-cpp alone.
          const worker = new Worker(script, { type: 'module' });
          const reply = new Promise<unknown>((resolve) => {
            worker.addEventListener('message', (event: MessageEvent) => {
              resolve(event.data);
            });
          });
          worker.postMessage({
            id: 1,
            decoder: 'zxing-wasm',
            source: 'picture',
            rgba: new Uint8ClampedArray(rgba),
            width,
            height,
          });
          const decoded = await reply;
          worker.terminate();
          return decoded;
        },
        { script: workerPath, rgba: Array.from(greyToRgba(frame)), width: 320, height: 240 },
      );
      assert.deepEqual(
        { ...(answer as Record<string, unknown>), ms: 0 },
        { id: 1, text: TEXT, decoder: 'zxing-wasm', tried: ['zxing-wasm'], ms: 0 },
      );
      const violations = () =>
        page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      assert.deepEqual(await violations(), [], 'no violation on the page');

      const pageCompile = await page.evaluate(async () => {
        try {
          await WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
          return 'compiled';
        } catch (error) {
          return (error as Error).name;
        }
      });
      assert.equal(pageCompile, 'CompileError', 'the page itself may not compile WebAssembly');
      assert.ok((await violations()).every((violation) => violation === 'script-src wasm-eval'));
    } finally {
      await page.close();
    }
  });
});
