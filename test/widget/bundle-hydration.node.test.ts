/*
 * The one-file bundle, dist/browser/otp-login-qr.js, on a page rendered on a server: Lit's
 * hydration support, loaded before it as a separate script (its own copy of lit-html), takes
 * over the DOM the server sent. That works only because the bundle is Lit as published, with the
 * page-wide hooks and the `_$` protocol by which copies of Lit talk to each other.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { buildWidget } from '../../scripts/build-widget.mjs';
import { CHROMIUM_PATH, QUIET_CHROMIUM_FLAGS } from '../support/launchers/browsers.mjs';
import { renderOnServer } from './server-rendered.js';

const ORIGIN = 'https://ssr.test';

/** Lit's hydration support as a page would serve it: one module, with its own lit-html. */
async function hydrateSupportScript(): Promise<string> {
  const { outputFiles } = await build({
    stdin: {
      contents: "import '@lit-labs/ssr-client/lit-element-hydrate-support.js';",
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    minify: true,
    conditions: ['browser', 'production'],
    write: false,
  });
  return outputFiles[0]?.text ?? '';
}

describe('the built bundle on a server-rendered page', () => {
  let browser: Browser;
  let bundle = '';
  let hydrateSupport = '';

  before(async () => {
    const [{ path }, support] = await Promise.all([buildWidget(), hydrateSupportScript()]);
    bundle = await readFile(path, 'utf8');
    hydrateSupport = support;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...QUIET_CHROMIUM_FLAGS],
    });
  });

  after(async () => {
    await browser.close();
  });

  it('is hydrated in place by Lit’s hydration support, then shows its code', async () => {
    const page = await browser.newPage();
    const serverHtml = renderOnServer({ endpoint: '/login' });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const { pathname } = new URL(route.request().url());
      const script = (body: string) => route.fulfill({ contentType: 'text/javascript', body });
      if (pathname === '/hydrate-support.js') return script(hydrateSupport);
      if (pathname === '/otp-login-qr.js') return script(bundle);
      if (pathname === '/login')
        return route.fulfill({
          status: 201,
          contentType: 'application/json',
          body: JSON.stringify({
            id: 'abc',
            qr: 'HTTPS://SCAN.EXAMPLE/#1',
            expires_in: 600,
            interval: 600,
          }),
        });
      if (pathname === '/login/abc')
        return route.fulfill({ contentType: 'application/json', body: '{"status":"pending"}' });
      // The page: the server's HTML, marked before any module runs, then the two scripts.
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><meta charset="utf-8"><body>${serverHtml}
          <script>
            document.querySelector('otp-login-qr').shadowRoot
              .querySelector('[part=status]').dataset.sentByTheServer = '';
          </script>
          <script type="module" src="/hydrate-support.js"></script>
          <script type="module" src="/otp-login-qr.js"></script>`,
      });
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(`${ORIGIN}/`);
    await page.waitForSelector('otp-login-qr[status=pending]');

    const shown = await page.evaluate(() => {
      const root = document.querySelector('otp-login-qr')?.shadowRoot;
      const status = root?.querySelector<HTMLElement>('[part=status]');
      return {
        hydratedInPlace: status?.dataset.sentByTheServer !== undefined,
        sentence: status?.textContent.trim(),
        qr: root?.querySelector('svg[part=qr]')?.getAttribute('role'),
      };
    });
    assert.deepEqual(shown, {
      hydratedInPlace: true,
      sentence: 'Scan this code with the app on your phone to log in.',
      qr: 'img',
    });
    assert.deepEqual(errors, []);
  });
});
