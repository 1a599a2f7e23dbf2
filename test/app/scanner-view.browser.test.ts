import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { setLocale } from '../../src/app/i18n/locale.js';
import '../../src/app/views/scanner-view.define.js';
import { QrDecoder } from '../../src/app/scanner/qr-decoder.js';
import type { ScannerView } from '../../src/app/views/scanner-view.js';
import { expectAxeClean } from './support/axe.js';
import { qrImageData, qrPngFile } from './support/browser-frames.js';
import { pasteText } from './support/paste.js';
import { until } from '../support/until.js';
import { SCANNER_WAIT_MS, CanvasCamera } from './support/fake-camera-source.js';

/** Mocha's own `before`, for a hook that needs a longer timeout than a test. */
const mocha = globalThis as unknown as {
  before: (body: (this: { timeout(ms: number): void }) => Promise<void>) => void;
};

const LOGIN_QR =
  'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708209828027503085069645197357';

describe('<app-scanner>', () => {
  let camera: CanvasCamera;
  let scanner: ScannerView;
  let codes: string[];

  async function mount(
    options: { manual?: boolean; fallbacksAfterMs?: number } = {},
  ): Promise<ScannerView> {
    scanner = document.createElement('app-scanner');
    scanner.camera = camera;
    scanner.manual = options.manual ?? false;
    if (options.fallbacksAfterMs !== undefined) scanner.fallbacksAfterMs = options.fallbacksAfterMs;
    scanner.addEventListener('app-scanner-code', (event) => {
      codes.push(event.detail.text);
    });
    document.body.append(scanner);
    await scanner.updateComplete;
    return scanner;
  }

  function text(): string {
    return (scanner.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
  }

  function linkField(): HTMLInputElement {
    const input = scanner.shadowRoot?.querySelector<HTMLInputElement>('#code');
    if (input === null || input === undefined) throw new Error('no link field');
    return input;
  }

  function button(name: string): HTMLButtonElement {
    const found = Array.from(scanner.shadowRoot?.querySelectorAll('button') ?? []).find(
      (candidate) => candidate.textContent.trim() === name,
    );
    if (found === undefined) throw new Error(`no button "${name}"`);
    return found;
  }

  // The first worker of a run fetches and compiles the decoder (one bundle, web-test-runner's
  // config). In one clean-clone run, Firefox read no code for over a minute while two other
  // browsers shared the two cores, then still loading zxing module by module. Load it once here,
  // so that each test's 20 s for a code measures decoding, not that load.
  mocha.before(async function () {
    this.timeout(120_000);
    const decoder = new QrDecoder();
    try {
      await decoder.getCapabilities();
    } finally {
      decoder.close();
    }
  });

  beforeEach(() => {
    setLocale('en');
    camera = new CanvasCamera();
    codes = [];
  });

  afterEach(() => {
    scanner.remove();
    camera.dispose();
  });

  it('opens the back camera by default and shows it live', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    expect(camera.opened).to.deep.equal([undefined]);
    expect(camera.liveTracks()).to.have.length(1);
    await expectAxeClean(scanner);
  });

  it('is ready (and offers the torch) while the camera has not sent its first frame yet', async () => {
    // play() settles only once a frame plays: here it never does.
    const play = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'play');
    HTMLMediaElement.prototype.play = () => new Promise<void>(() => undefined);
    try {
      camera.torch = true;
      await mount();
      await until(() => scanner.cameraState === 'live', 'camera live', 5_000);
      await scanner.updateComplete;
      expect(button('Light on').getAttribute('aria-pressed')).to.equal('false');
      expect(text()).not.to.include('Starting the camera');
    } finally {
      if (play !== undefined) Object.defineProperty(HTMLMediaElement.prototype, 'play', play);
    }
  });

  it('ends every track when the scanner screen is left', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    scanner.remove();
    expect(camera.liveTracks()).to.deep.equal([]);
    expect(camera.streams[0]?.getVideoTracks()[0]?.readyState).to.equal('ended');
  });

  it('ends every track when the app is hidden, and opens the camera again when shown', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    try {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      expect(camera.liveTracks()).to.deep.equal([]);
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => camera.liveTracks().length === 1, 'camera open again', SCANNER_WAIT_MS);
      expect(camera.streams).to.have.length(2);
    } finally {
      // The own property goes; Document.prototype's real one shows through again.
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('reads a code in the viewfinder, emits it and ends every track', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    camera.show(qrImageData(LOGIN_QR, 3, 12));
    await until(() => codes.length === 1, 'a code', 20_000);
    expect(codes).to.deep.equal([LOGIN_QR]);
    expect(camera.liveTracks()).to.deep.equal([]);
  });

  it('reads only the viewfinder: a code at the edge of the picture is left alone', async () => {
    camera = new CanvasCamera([], { width: 640, height: 480 });
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    // 640×480 frames: the viewfinder is the centred 336 px square (x 152–488, y 72–408).
    const code = qrImageData(LOGIN_QR, 3, 12);
    expect(code.width).to.be.below(152);
    // Counts the frames the scanner reads: 10 after the picture is shown (the camera draws one
    // every 33 ms), the picture has been in its view for most of them.
    const decode = Object.getOwnPropertyDescriptor(QrDecoder.prototype, 'decode');
    const read = decode?.value as QrDecoder['decode'];
    let framesRead = 0;
    QrDecoder.prototype.decode = function (this: QrDecoder, pixels) {
      return read.call(this, pixels).then((outcome) => {
        framesRead += 1;
        return outcome;
      });
    };
    try {
      camera.show(code, { x: 0, y: 480 - code.height });
      const shownAt = framesRead;
      await until(
        () => framesRead >= shownAt + 10 || codes.length > 0,
        '10 frames read',
        SCANNER_WAIT_MS,
      );
      expect(codes, 'nothing read outside the viewfinder').to.deep.equal([]);
      // The same picture, moved into the frame, is read.
      camera.show(code);
      await until(() => codes.length === 1, 'the code, once inside', 20_000);
    } finally {
      if (decode !== undefined) Object.defineProperty(QrDecoder.prototype, 'decode', decode);
    }
  });

  for (const [name, expected] of [
    ['NotAllowedError', /may not use the camera/],
    ['NotFoundError', /no camera the app can use/],
    ['NotReadableError', /camera is in use by another app/],
  ] as const) {
    it(`explains a camera that fails with ${name}, and offers the fallbacks`, async () => {
      camera.failure = new DOMException('camera failure', name);
      await mount();
      await until(() => scanner.cameraState === 'failed', 'camera failed', SCANNER_WAIT_MS);
      const alert = scanner.shadowRoot?.querySelector('[role="alert"]');
      expect(alert?.textContent).to.match(expected);
      await scanner.updateComplete;
      expect(scanner.offersFallbacks, 'offered at once').to.equal(true);
      expect(text()).to.include('No luck with the camera? You can also:');
      expect(text()).to.include('Use a picture of the code');
      expect(text()).to.include('Paste the link of the code');
      await expectAxeClean(scanner);
    });
  }

  it('lets the user try the camera again after a busy camera', async () => {
    camera.failure = new DOMException('busy', 'NotReadableError');
    await mount();
    await until(() => scanner.cameraState === 'failed', 'camera failed', SCANNER_WAIT_MS);
    camera.failure = undefined;
    button('Try again').click();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
  });

  it('offers no fallbacks while the camera works', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    await scanner.updateComplete;
    expect(scanner.offersFallbacks).to.equal(false);
    expect(scanner.hasAttribute('offers-fallbacks')).to.equal(false);
    expect(scanner.shadowRoot?.querySelector('.fallbacks')).to.equal(null);
    expect(text()).not.to.include('No luck with the camera');
  });

  it('offers the fallbacks beside the camera once it has found nothing for a while', async () => {
    await mount({ fallbacksAfterMs: 300 });
    await until(() => scanner.hasAttribute('offers-fallbacks'), 'the fallbacks', SCANNER_WAIT_MS);
    await scanner.updateComplete;
    expect(text()).to.include('No luck with the camera? You can also:');
    expect(text()).to.include('Use a picture of the code');
    expect(text()).to.include('Paste the link of the code');
    expect(scanner.cameraState, 'the camera keeps looking').to.equal('live');
    expect(camera.liveTracks()).to.have.length(1);
    await expectAxeClean(scanner);
    // A code found now is still read.
    camera.show(qrImageData(LOGIN_QR, 3, 12));
    await until(() => codes.length === 1, 'a code', 20_000);
  });

  it('offers the fallbacks again only after a while when the camera works after "Try again"', async () => {
    camera.failure = new DOMException('busy', 'NotReadableError');
    await mount();
    await until(() => scanner.offersFallbacks, 'the fallbacks of a failed camera', SCANNER_WAIT_MS);
    camera.failure = undefined;
    button('Try again').click();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    await scanner.updateComplete;
    expect(scanner.offersFallbacks).to.equal(false);
  });

  it('is the link field with "Paste a link": it takes a link and refuses text that is not a code of the app', async () => {
    await mount({ manual: true });
    expect(camera.opened, 'no camera in manual mode').to.deep.equal([]);
    expect(scanner.shadowRoot?.querySelector('h1')?.textContent).to.equal('Paste a link');
    expect(scanner.shadowRoot?.activeElement === linkField(), 'ready for the paste').to.equal(true);
    await expectAxeClean(scanner);
    const input = linkField();
    input.value = 'hello';
    button('Use this link').click();
    await scanner.updateComplete;
    expect(text()).to.include('This is not a code of this app');
    expect(codes).to.deep.equal([]);
    input.value = LOGIN_QR;
    button('Use this link').click();
    expect(codes).to.deep.equal([LOGIN_QR]);
  });

  it('runs a link at once when it is pasted into the field; other text stays in it', async () => {
    await mount({ manual: true });
    const other = pasteText(linkField(), 'hello');
    expect(other.defaultPrevented, 'pasted as text, for the user to see').to.equal(false);
    expect(codes).to.deep.equal([]);
    const link = pasteText(linkField(), `  ${LOGIN_QR}\n`);
    expect(link.defaultPrevented).to.equal(true);
    expect(codes).to.deep.equal([LOGIN_QR]);
  });

  it('runs a link pasted anywhere on the screen while the camera looks, and ends every track', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    pasteText(scanner, LOGIN_QR);
    expect(codes).to.deep.equal([LOGIN_QR]);
    expect(camera.liveTracks()).to.deep.equal([]);
  });

  it('reads a picked picture of a code', async () => {
    await mount({ manual: true });
    const input = scanner.shadowRoot?.querySelector<HTMLInputElement>('#file');
    if (input === null || input === undefined) throw new Error('no file input');
    const files = new DataTransfer();
    files.items.add(await qrPngFile(LOGIN_QR));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    await until(() => codes.length === 1, 'a code from the picture', SCANNER_WAIT_MS);
    expect(codes).to.deep.equal([LOGIN_QR]);
  });

  it('offers the torch where the track has one, and switches it', async () => {
    camera.torch = true;
    await mount();
    await until(
      () =>
        Array.from(scanner.shadowRoot?.querySelectorAll('button') ?? []).some(
          (candidate) => candidate.textContent.trim() === 'Light on',
        ),
      `the torch button (camera ${scanner.cameraState})`,
      SCANNER_WAIT_MS,
    );
    const torch = button('Light on');
    expect(torch.getAttribute('aria-pressed')).to.equal('false');
    torch.click();
    await until(() => camera.torchConstraints.length === 1, 'torch on');
    // An advanced constraint: a camera that cannot leaves the track as it is.
    expect(camera.torchConstraints[0]).to.deep.equal({ advanced: [{ torch: true }] });
    await until(() => text().includes('Light off'), 'the button says the light is on');
    expect(button('Light off').getAttribute('aria-pressed')).to.equal('true');
    button('Light off').click();
    await until(() => camera.torchConstraints.length === 2, 'torch off');
    expect(camera.torchConstraints[1]).to.deep.equal({ advanced: [{ torch: false }] });
  });

  it('has no torch button when the track has no torch', async () => {
    await mount();
    await until(() => scanner.cameraState === 'live', 'camera live', SCANNER_WAIT_MS);
    expect(text()).not.to.include('Light on');
  });

  it('offers a camera picker when there are several cameras and opens the one picked', async () => {
    camera = new CanvasCamera([
      { deviceId: 'back', label: 'Back camera' },
      { deviceId: 'front', label: 'Front camera' },
    ]);
    await mount();
    await until(
      () => scanner.shadowRoot?.querySelector('#camera-pick') !== null,
      'picker',
      SCANNER_WAIT_MS,
    );
    const picker = scanner.shadowRoot?.querySelector<HTMLSelectElement>('#camera-pick');
    if (picker === null || picker === undefined) throw new Error('no picker');
    picker.value = 'front';
    picker.dispatchEvent(new Event('change'));
    await until(() => camera.opened.includes('front'), 'front camera opened', SCANNER_WAIT_MS);
    await until(() => camera.liveTracks().length === 1, 'one live track', SCANNER_WAIT_MS);
    expect(camera.streams[0]?.getVideoTracks()[0]?.readyState).to.equal('ended');
  });
});
