/*
 * The phone: Chromium at a phone's size, with a fake camera that plays what the test puts in
 * front of it. Chromium reads the camera file at launch, so every scan is a fresh launch on the
 * same profile folder: the device key in IndexedDB and the linked accounts stay, as on a phone.
 * A phone may have a fingerprint or face reader (a virtual authenticator), whose passkeys stay
 * across launches too.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  CHROMIUM_PATH,
  fakeCameraFlags,
  recordStreamsAndCspViolations,
} from '../../app/support/fake-camera-browser.js';
import { writeY4m, type GreyFrame } from '../../app/support/qr-frames.js';
import sharp from 'sharp';
import { asRead } from '../../support/as-read.js';
import { VirtualAuthenticator } from './virtual-authenticator.js';

const CAMERA_ARTIFACTS = join(process.env.E2E_ARTIFACTS ?? 'test-results/e2e', 'camera');

export class Phone {
  private context: BrowserContext | undefined;
  private scans = 0;

  private constructor(
    private readonly profileDir: string,
    readonly appUrl: string,
    /** The phone's fingerprint or face reader; undefined for a phone without one. */
    readonly authenticator: VirtualAuthenticator | undefined,
  ) {}

  /**
   * A phone with its app at `appUrl`; `authenticator: true` gives it a platform authenticator
   * that checks its user's fingerprint or face (Chromium's virtual one).
   */
  static async create(appUrl: string, options: { authenticator?: boolean } = {}): Promise<Phone> {
    return new Phone(
      await mkdtemp(join(tmpdir(), 'otp-e2e-phone-')),
      appUrl,
      options.authenticator === true ? new VirtualAuthenticator() : undefined,
    );
  }

  /** Opens the app with the camera pointed at `frame` (what a desktop screen shows). */
  async openAppFacing(frame: GreyFrame): Promise<Page> {
    await this.closeApp();
    this.scans += 1;
    const y4m = join(this.profileDir, `camera-${this.scans}.y4m`);
    await writeY4m(y4m, [frame, frame]);
    // What the camera saw, kept beside the screenshots for when a scan does not work.
    await mkdir(CAMERA_ARTIFACTS, { recursive: true });
    await sharp(Buffer.from(frame.luma), {
      raw: { width: frame.width, height: frame.height, channels: 1 },
    })
      .png()
      .toFile(join(CAMERA_ARTIFACTS, `${basename(this.profileDir)}-${this.scans}.png`));
    this.context = await chromium.launchPersistentContext(join(this.profileDir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: fakeCameraFlags(y4m),
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
    });
    await recordStreamsAndCspViolations(this.context);
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    await this.authenticator?.attach(this.context, page);
    await page.goto(this.appUrl);
    return page;
  }

  async closeApp(): Promise<void> {
    if (this.context !== undefined) await this.authenticator?.detach();
    await this.context?.close();
    this.context = undefined;
  }

  async dispose(): Promise<void> {
    await this.closeApp();
    await rm(this.profileDir, { recursive: true, force: true });
  }
}

/** Waits until the app shows `screen` (first-run, home, scanner, confirm, result). */
export async function appScreen(page: Page, screen: string, timeout = 45_000): Promise<void> {
  try {
    await page.locator(`scanner-app[screen="${screen}"]`).waitFor({ timeout });
  } catch (error) {
    const shown = await page
      .locator('scanner-app')
      .evaluate(
        (app) => `${app.getAttribute('screen') ?? '?'}: ${app.shadowRoot?.textContent ?? ''}`,
      )
      .catch(() => 'no app');
    await mkdir(CAMERA_ARTIFACTS, { recursive: true });
    await page
      .screenshot({ path: join(CAMERA_ARTIFACTS, `failed-${screen}-${Date.now()}.png`) })
      .catch(() => undefined);
    throw new Error(`The app did not show ${screen}; it shows ${shown.replace(/\s+/g, ' ')}`, {
      cause: error,
    });
  }
}

/** The text of one of the app's views (its shadow root), whitespace collapsed. */
export async function viewText(page: Page, tag: string): Promise<string> {
  const text = await page.locator(tag).evaluate((element) => element.shadowRoot?.textContent ?? '');
  return asRead(text);
}

/** The code a screen of the app shows ("482 193"), as six digits. */
export async function codeOnThePhone(page: Page, tag: string): Promise<string> {
  const text = await page
    .locator(tag)
    .evaluate((element) => element.shadowRoot?.querySelector('.code')?.textContent ?? '');
  return text.replace(/\s+/g, '');
}
