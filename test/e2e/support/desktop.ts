/*
 * The desktop browser on the demo website, and the bridge from its screen to the phone's
 * camera: the QR the page shows is photographed (a screenshot of the element) and becomes the
 * frames of the fake camera.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { CHROMIUM_PATH, fakeCameraFlags } from '../../app/support/fake-camera-browser.js';
import type { GreyFrame } from '../../app/support/qr-frames.js';

export async function launchDesktopBrowser(): Promise<Browser> {
  // The fake-camera flags without a file: the quiet flags, and no camera prompt.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: fakeCameraFlags(),
  });
}

export async function newDesktop(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  });
  const page = await context.newPage();
  // Records the element's events for the test, with the time each arrived.
  await context.addInitScript(() => {
    const record = window as unknown as { qrEvents: { type: string; at: number }[] };
    record.qrEvents = [];
    for (const type of [
      'otp-login-qr-scanned',
      'otp-login-qr-accepted',
      'otp-login-qr-denied',
      'otp-login-qr-expired',
      'otp-login-qr-error',
    ]) {
      document.addEventListener(type, () => {
        record.qrEvents.push({ type, at: Date.now() });
      });
    }
  });
  return { context, page };
}

export async function signUp(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/account$/);
}

export async function logInWithPassword(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
}

/** Waits for the element's status (reflected on the host) and returns the element's locator. */
export async function widgetStatus(page: Page, status: string, timeout = 45_000): Promise<void> {
  await page.locator(`otp-login-qr[status="${status}"]`).waitFor({ timeout });
}

/**
 * A photo of the QR code the page shows: the element's QR part as grey pixels, scaled and set in
 * the middle of a 640×480 camera frame, as a phone held in front of the screen would see it.
 */
export async function photographQr(page: Page): Promise<GreyFrame> {
  const png = await page.locator('otp-login-qr [part="qr"]').screenshot();
  // The code fills about half the height, as when the phone is held so that the code sits well
  // inside the viewfinder; the app reads only the viewfinder, quiet zone included.
  const side = 240;
  const qr = await sharp(png)
    .flatten({ background: '#ffffff' })
    // Smooth resampling, as a camera's optics blur: nearest-neighbour would make modules of uneven
    // width, which no camera produces and which zxing misreads now and then.
    .resize(side, side, { fit: 'contain', background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer();
  const width = 640;
  const height = 480;
  const luma = new Uint8ClampedArray(width * height).fill(240);
  const left = (width - side) / 2;
  const top = (height - side) / 2;
  for (let y = 0; y < side; y += 1) {
    luma.set(qr.subarray(y * side, (y + 1) * side), (top + y) * width + left);
  }
  return { width, height, luma };
}

export async function qrEvents(page: Page): Promise<{ type: string; at: number }[]> {
  return page.evaluate(
    () => (window as unknown as { qrEvents: { type: string; at: number }[] }).qrEvents,
  );
}

/** The six digits the element shows beside its question ("482 193" on screen). */
export async function codeOnThePage(page: Page): Promise<string> {
  const text = await page.locator('otp-login-qr [part="code"]').innerText();
  return text.replace(/\s+/g, '');
}

/**
 * Linking: the page asks whether the phone shows its code; the user compares and answers. Returns
 * the code the page showed.
 */
export async function answerTheCodeQuestion(page: Page, matches: boolean): Promise<string> {
  await widgetStatus(page, 'confirm');
  const code = await codeOnThePage(page);
  await page
    .getByRole('button', { name: matches ? /^Yes, / : 'No, it shows something else' })
    .click();
  return code;
}

/** Proof of presence: the user types the code their phone shows into the page. */
export async function typeThePhonesCode(page: Page, code: string): Promise<void> {
  await widgetStatus(page, 'confirm');
  await page.getByLabel('Code from your phone').fill(code);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
}
