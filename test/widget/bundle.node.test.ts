/*
 * The built element, dist/browser/otp-login-qr.js, as a page gets it (minified, its private names shortened),
 * in headless Chromium: what the minifiers could break that tests of the source cannot see.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import zxing from '@zxing/library';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWidget } from '../../scripts/build-widget.mjs';
import { CHROMIUM_PATH, QUIET_CHROMIUM_FLAGS } from '../support/launchers/browsers.mjs';

const ORIGIN = 'https://widget.test';

/** QR texts by start endpoint: short, a login QR's length, and one that needs alignment patterns. */
const QR_TEXTS: Record<string, string> = {
  '/short': 'HTTPS://SCAN.EXAMPLE/#1',
  '/login': `HTTPS://SCAN.EXAMPLE/#${'A1B2C3D4'.repeat(11)}`,
  '/long': `otp-login:${'0123456789abcdefghij'.repeat(12)}`,
};

/** What the page's `otp-login-qr-error` carried, or the QR the element drew. */
type Outcome =
  | { error: { name: string; code: string; causeName: string | undefined } }
  | { qr: { viewBox: string; path: string } };

describe('the built bundle in Chromium', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    const { path } = await buildWidget();
    const bundle = await readFile(path, 'utf8');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...QUIET_CHROMIUM_FLAGS],
    });
    page = await browser.newPage();
    // Everything the page loads is answered here; nothing goes to the network.
    await page.route(`${ORIGIN}/**`, async (route) => {
      const { pathname } = new URL(route.request().url());
      const json = (status: number, body: unknown) =>
        route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
      if (pathname === '/')
        return route.fulfill({
          contentType: 'text/html',
          headers: { 'Content-Security-Policy': "default-src 'self'" },
          body: '<!doctype html><script type="module" src="/otp-login-qr.js"></script>',
        });
      if (pathname === '/otp-login-qr.js')
        return route.fulfill({ contentType: 'text/javascript', body: bundle });
      // A start response without a valid id: the contract parser refuses it.
      if (pathname === '/malformed') return json(201, { id: 42, qr: 'x' });
      const qr = QR_TEXTS[pathname];
      if (qr !== undefined) return json(201, { id: 'abc', qr, expires_in: 600, interval: 600 });
      // Status polls: nothing happens during the test.
      return json(200, { status: 'pending' });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => customElements.get('otp-login-qr') !== undefined);
  });

  after(async () => {
    await browser.close();
  });

  /** Adds an element for `endpoint` and waits for its error, or for its QR in the DOM. */
  function outcome(endpoint: string): Promise<Outcome> {
    return page.evaluate(
      (endpoint) =>
        new Promise<Outcome>((resolve) => {
          const element = document.createElement('otp-login-qr');
          element.setAttribute('endpoint', endpoint);
          element.addEventListener('otp-login-qr-error', ({ detail: { error } }) => {
            const cause = error.cause instanceof Error ? error.cause.name : undefined;
            resolve({ error: { name: error.name, code: error.code, causeName: cause } });
          });
          element.addEventListener('otp-login-qr-status', ({ detail: { status } }) => {
            if (status !== 'pending') return;
            void element.updateComplete.then(() => {
              const svg = element.shadowRoot?.querySelector('svg[part=qr]');
              const path = svg?.querySelector('path')?.getAttribute('d');
              resolve({ qr: { viewBox: svg?.getAttribute('viewBox') ?? '', path: path ?? '' } });
            });
          });
          document.body.replaceChildren(element);
        }),
      endpoint,
    );
  }

  it("names its errors by their classes' names, not the minified ones", async () => {
    assert.deepEqual(await outcome('/malformed'), {
      error: {
        name: 'OtpLoginQrError',
        code: 'malformed_response',
        causeName: 'WebsiteContractError',
      },
    });
  });

  it('draws QR codes that a QR reader decodes to the text', async () => {
    for (const [endpoint, text] of Object.entries(QR_TEXTS)) {
      const result = await outcome(endpoint);
      assert.ok('qr' in result, `no QR for ${endpoint}: ${JSON.stringify(result)}`);
      // The path rasterized black on white at 6 pixels a module, quiet zone included.
      const { width, height, luminances } = await page.evaluate(({ viewBox, path }) => {
        const [x, y, w, h] = viewBox.split(' ').map(Number) as [number, number, number, number];
        const scale = 6;
        const canvas = document.createElement('canvas');
        canvas.width = w * scale;
        canvas.height = h * scale;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        if (!context) throw new Error('no 2d context');
        context.fillStyle = '#fff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.setTransform(scale, 0, 0, scale, -x * scale, -y * scale);
        context.fillStyle = '#000';
        context.fill(new Path2D(path));
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const red = Array.from({ length: data.length / 4 }, (_, index) => data[index * 4] ?? 0);
        return { width: canvas.width, height: canvas.height, luminances: red };
      }, result.qr);
      const source = new zxing.RGBLuminanceSource(
        Uint8ClampedArray.from(luminances),
        width,
        height,
      );
      const bitmap = new zxing.BinaryBitmap(new zxing.HybridBinarizer(source));
      assert.equal(new zxing.QRCodeReader().decode(bitmap).getText(), text, endpoint);
    }
  });
});
