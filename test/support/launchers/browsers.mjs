// The three browser engines that website visitors and phone users have, each from Debian's
// packages (scripts/provision.mjs installs them): nothing here downloads a browser of its own.
import { playwrightLauncher } from '@web/test-runner-playwright';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webkitGtkLauncher } from './webkit-gtk-launcher.mjs';

/** Flags that keep Chromium off the network that this machine does not have. */
export const QUIET_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export function chromium() {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: QUIET_CHROMIUM_FLAGS },
  });
}

/**
 * A Firefox page whose setViewport survives Firefox ESR 140: Puppeteer sends the viewport and a
 * screen-orientation override together, and that Firefox refuses the second ("unknown command").
 * The viewport itself is applied; only the orientation, which no test uses, is skipped.
 */
async function firefoxPage({ context }) {
  const page = await context.newPage();
  const setViewport = page.setViewport.bind(page);
  page.setViewport = async (viewport) => {
    try {
      await setViewport(viewport);
    } catch (error) {
      if (!/unknown command|unsupported operation/i.test(String(error?.message))) throw error;
    }
  };
  return page;
}

export function firefox() {
  // Puppeteer speaks WebDriver BiDi to Firefox.
  return puppeteerLauncher({
    createPage: firefoxPage,
    launchOptions: {
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'network.captive-portal-service.enabled': false,
        'network.connectivity-service.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
      },
    },
  });
}

export function webkit() {
  return webkitGtkLauncher({ miniBrowserPath: MINIBROWSER_PATH });
}

/** All three, or the ones named in BROWSERS (e.g. BROWSERS=chromium,webkit) for a quick run. */
export function selectedBrowsers() {
  const all = { chromium, firefox, webkit };
  const names = (process.env.BROWSERS ?? 'chromium,firefox,webkit')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.map((name) => {
    const make = all[name];
    if (!make)
      throw new Error(`Unknown browser "${name}" in BROWSERS; use chromium, firefox or webkit.`);
    return make();
  });
}
