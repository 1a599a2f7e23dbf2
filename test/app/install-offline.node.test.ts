/*
 * The built app as Chromium sees it: installable (Chromium's own check, over CDP), and, once its
 * service worker has precached the shell, it opens offline and says that a login needs the network;
 * its decoding worker still reads a picture with zxing-cpp, whose .wasm is precached too.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { formatAppUrl } from '../../src/protocol/index.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { linkPhone } from './support/link-phone.js';
import { CHROMIUM_PATH, fakeCameraFlags } from './support/fake-camera-browser.js';
import { greyToRgba, qrFrame } from './support/qr-frames.js';
import { asRead } from '../support/as-read.js';

const OFFLINE_TEXT = 'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708';

describe('the built scanner app in Chromium', () => {
  let harness: AppHarness;
  let profileDir: string;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    harness = await startAppHarness();
    profileDir = await mkdtemp(join(tmpdir(), 'otp-app-profile-'));
    // A persistent profile: Chromium does not offer to install apps in incognito contexts.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(),
      viewport: { width: 390, height: 844 },
      locale: 'en-GB',
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context.close();
    await rm(profileDir, { recursive: true, force: true });
    await harness.close();
  });

  async function screen(name: string): Promise<void> {
    await page.locator(`scanner-app[screen="${name}"]`).waitFor({ timeout: 15_000 });
  }

  async function shadowText(tag: string): Promise<string> {
    const text = await page.locator(tag).evaluate((element) => element.shadowRoot?.textContent);
    return asRead(text ?? '');
  }

  it('builds an index.html without inline script, under a strict CSP', async () => {
    const html = await readFile(join(harness.dir, 'app', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [tag, body] of scripts) {
      assert.match(tag, /\bsrc="\.\/assets\/[^"]+\.js"/, 'every script is a file');
      assert.equal(body?.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /style-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('has a manifest with what an installable app needs', async () => {
    const manifest = JSON.parse(
      await readFile(join(harness.dir, 'app', 'manifest.webmanifest'), 'utf8'),
    ) as {
      name: string;
      short_name: string;
      description: string;
      start_url: string;
      scope: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; purpose?: string }[];
      screenshots: { src: string; sizes: string; form_factor?: string }[];
    };
    assert.equal(manifest.display, 'standalone');
    for (const field of [
      manifest.name,
      manifest.short_name,
      manifest.description,
      manifest.start_url,
      manifest.scope,
      manifest.theme_color,
      manifest.background_color,
    ]) {
      assert.ok(field.length > 0);
    }
    const sizes = manifest.icons.filter((icon) => icon.purpose === undefined).map((i) => i.sizes);
    assert.ok(sizes.includes('192x192') && sizes.includes('512x512'));
    assert.ok(manifest.icons.some((icon) => icon.purpose === 'maskable'));
    assert.deepEqual(
      manifest.screenshots.map((shot) => shot.form_factor),
      ['narrow', 'narrow', 'wide'],
    );
    for (const file of [...manifest.icons, ...manifest.screenshots]) {
      const response = await fetch(new URL(file.src, harness.appUrl));
      assert.equal(response.status, 200, file.src);
      const png = Buffer.from(await response.arrayBuffer());
      // The PNG's own size (IHDR) is the size the manifest claims.
      assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, file.sizes, file.src);
    }
  });

  it('has no installability errors (CDP Page.getInstallabilityErrors)', async () => {
    await page.goto(harness.appUrl);
    await screen('first-run');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    assert.deepEqual(
      installabilityErrors.map((error) => error.errorId),
      [],
    );
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[] };
    assert.deepEqual(manifest.errors, []);
  });

  it('opens offline from the precache and says that a login needs the network', async () => {
    // Online: link the phone, and let the service worker (now in control) keep config.json.
    await linkPhone(page, harness, 'alice@example.com');
    assert.equal(
      await page.evaluate(() => navigator.serviceWorker.controller !== null),
      true,
      'the service worker controls the page',
    );

    await context.setOffline(true);
    try {
      await page.reload();
      await screen('home');
      assert.match(
        await shadowText('scanner-app'),
        /You are offline\. .*a login needs the network/,
      );
      const login = await harness.website.startLogin();
      await page.goto(formatAppUrl(harness.appUrl, login.code));
      await screen('result');
      assert.match(await shadowText('app-result'), /No connection.*A login needs the network/);
    } finally {
      await context.setOffline(false);
    }
  });

  it('reads a picture offline with zxing-cpp: the decoder and its .wasm are precached', async () => {
    const worker = (await readdir(join(harness.dir, 'app', 'assets'))).find((file) =>
      file.startsWith('decode-worker-'),
    );
    assert.ok(worker !== undefined);
    const frame = qrFrame(OFFLINE_TEXT, { width: 320, height: 240 });
    await page.goto(harness.appUrl);
    await screen('home');
    await context.setOffline(true);
    try {
      const answer: unknown = await page.evaluate(
        async ({ script, rgba }) => {
          // The decoding worker as the app starts it, asked for zxing-cpp alone.
          const decoding = new Worker(script, { type: 'module' });
          const reply = new Promise<unknown>((resolve) => {
            decoding.addEventListener('message', (event: MessageEvent) => {
              resolve(event.data);
            });
          });
          decoding.postMessage({
            id: 1,
            decoder: 'zxing-wasm',
            source: 'picture',
            rgba: new Uint8ClampedArray(rgba),
            width: 320,
            height: 240,
          });
          const decoded = await reply;
          decoding.terminate();
          return decoded;
        },
        { script: `./assets/${worker}`, rgba: Array.from(greyToRgba(frame)) },
      );
      assert.deepEqual(
        { ...(answer as Record<string, unknown>), ms: 0 },
        { id: 1, text: OFFLINE_TEXT, decoder: 'zxing-wasm', tried: ['zxing-wasm'], ms: 0 },
      );
    } finally {
      await context.setOffline(false);
    }
  });
});
