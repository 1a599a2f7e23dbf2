/*
 * docs/screenshots/widget-<state>.png: the demo page (docs/widget-demo.html, served by
 * scripts/widget-demo-server.ts) in headless Chromium, one picture of each state's section.
 * Usage: npm run screenshots:widget
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, QUIET_CHROMIUM_FLAGS } from '../test/support/launchers/browsers.mjs';
import { buildWidget } from './build-widget.mjs';
import { startWidgetDemoServer } from './widget-demo-server.js';

const STATES = ['pending', 'scanned', 'accepted', 'denied', 'expired', 'error'] as const;

const root = new URL('..', import.meta.url);
await buildWidget();
const outDir = fileURLToPath(new URL('docs/screenshots/', root));
await mkdir(outDir, { recursive: true });

const server = await startWidgetDemoServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...QUIET_CHROMIUM_FLAGS],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') violations.push(message.text());
  });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${server.url}/`);
  for (const state of STATES) {
    await page.waitForFunction(
      (id) => document.querySelector(`#${id} otp-login-qr`)?.getAttribute('status') === id,
      state,
    );
    const path = `${outDir}widget-${state}.png`;
    await page.locator(`#${state}`).screenshot({ path, animations: 'disabled' });
    console.log(`docs/screenshots/widget-${state}.png`);
  }
  if (violations.length > 0) throw new Error(`errors on the page: ${violations.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}
