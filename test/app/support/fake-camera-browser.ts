/*
 * Chromium with a fake camera that plays a y4m file (and grants camera access without asking),
 * through playwright-core and the system's Chromium.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, QUIET_CHROMIUM_FLAGS } from '../../support/launchers/browsers.mjs';

export { CHROMIUM_PATH };

export interface FakeCameraBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/** Chromium's flags for a fake camera that plays `y4mPath` (its test pattern without one). */
export function fakeCameraFlags(y4mPath?: string): string[] {
  return [
    ...QUIET_CHROMIUM_FLAGS,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    ...(y4mPath === undefined ? [] : [`--use-file-for-fake-video-capture=${y4mPath}`]),
  ];
}

/**
 * Launches Chromium whose only camera shows `y4mPath` (its test pattern without one: for tests
 * that open codes as deep links); the page records every camera stream.
 */
export async function launchWithFakeCamera(y4mPath?: string): Promise<FakeCameraBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: fakeCameraFlags(y4mPath),
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'en-GB',
  });
  await recordStreamsAndCspViolations(context);
  const page = await context.newPage();
  return { browser, context, page };
}

/** Keeps every camera stream and CSP violation of the context's pages, for the tests to check. */
export async function recordStreamsAndCspViolations(context: BrowserContext): Promise<void> {
  // Keeps every stream the app opens, so a test can check that no track is left live, and every
  // CSP violation, so a test can check there were none.
  await context.addInitScript(() => {
    const record = window as unknown as {
      streams: MediaStream[];
      cspViolations: string[];
      holdCamera: () => void;
      releaseCamera: () => void;
    };
    record.streams = [];
    record.cspViolations = [];
    // holdCamera() makes the next camera wait until releaseCamera(): the fake camera shows its QR
    // from the first frame, so without it the scanner screen can be gone before a test has
    // looked at it (axe once ran while the confirmation screen replaced it).
    // (No function in a variable here: tsx names those with a helper that the page lacks.)
    const camera: { gate?: Promise<void>; open?: () => void } = {};
    record.holdCamera = () => {
      camera.gate = new Promise<void>((resolve) => {
        camera.open = resolve;
      });
    };
    record.releaseCamera = () => {
      camera.open?.();
      delete camera.gate;
    };
    document.addEventListener('securitypolicyviolation', (event) => {
      record.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    if (devices === undefined) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (camera.gate !== undefined) await camera.gate;
      const stream = await original(constraints);
      record.streams.push(stream);
      return stream;
    };
  });
}
