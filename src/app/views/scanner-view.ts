import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { decodeQrPayload, type QrPayload } from '../../protocol/index.js';
import { t } from '../i18n/locale.js';
import type { CameraProblem } from '../scanner/camera-error.js';
import { toCameraError } from '../scanner/camera-error.js';
import {
  MediaDevicesCamera,
  setTorch,
  stopStream,
  trackHasTorch,
  type CameraChoice,
  type CameraSource,
} from '../scanner/camera-source.js';
import type { DecoderChoice } from '../scanner/decode-messages.js';
import { decodeImageFile, UnreadableImageError } from '../scanner/image-decode.js';
import { QrDecoder } from '../scanner/qr-decoder.js';
import { ScanLoop } from '../scanner/scan-loop.js';
import { VIEWFINDER_FRACTION } from '../scanner/viewfinder.js';
import { screenStyles } from './shared-styles.js';
import { scannerStyles } from './scanner-view.styles.js';

/** What the camera is doing. */
export type CameraState = 'off' | 'starting' | 'live' | 'failed';

/**
 * How long the camera may look without finding a code before the other ways in (a picture, a
 * link) are offered too: long enough for a user to hold a code up, short enough not to leave
 * one stuck in front of a camera that cannot read it.
 */
export const FALLBACKS_AFTER_MS = 8_000;

/**
 * @summary The scanner: the camera with a viewfinder, and ways in without a camera (a picture of
 * the code, or its link pasted). Those are offered when the camera is refused, missing or fails,
 * or finds nothing for a while, not while it works; with `manual` (the first run's "Paste a
 * link") they are the screen. A picture or a link pasted anywhere on the screen works at any
 * time. Camera tracks live only while this screen is shown and the app is visible; they end as
 * soon as a code is found.
 * @fires app-scanner-code - a valid code: `detail.text` as read, `detail.payload` decoded.
 * @fires app-scanner-cancel - the user went back.
 * @fires app-scanner-camera - the user switched to camera `detail.deviceId`.
 */
export class ScannerView extends LitElement {
  static override styles = [screenStyles, scannerStyles];

  /** What the code is for: a login or linking this phone (changes the title only). */
  @property() purpose: 'login' | 'link' = 'login';

  /** Where camera streams come from. */
  @property({ attribute: false }) camera: CameraSource = new MediaDevicesCamera();

  /** The camera to open ('' for the back camera). */
  @property({ attribute: 'camera-id' }) cameraId = '';

  /** No camera: the screen is the field for a pasted link (and a picture). */
  @property({ type: Boolean }) manual = false;

  /** Which decoder the worker uses. */
  @property({ attribute: 'decoder' }) decoderChoice: DecoderChoice = 'auto';

  /** What the camera is doing, reflected for styling and tests. */
  @property({ reflect: true, attribute: 'camera-state' }) cameraState: CameraState = 'off';

  /** How long the camera looks for a code before the other ways in are offered. */
  @property({ type: Number, attribute: 'fallbacks-after' }) fallbacksAfterMs = FALLBACKS_AFTER_MS;

  /**
   * The other ways in (a picture, a link) are on screen: without a camera, or when it failed,
   * or found nothing for {@link fallbacksAfterMs}. Reflected for styling and tests.
   */
  @property({ type: Boolean, reflect: true, attribute: 'offers-fallbacks' })
  offersFallbacks = false;

  @state() private problem: CameraProblem | undefined;
  @state() private message = '';
  @state() private torchAvailable = false;
  @state() private torchOn = false;
  @state() private cameras: readonly CameraChoice[] = [];
  /** The camera looked for {@link fallbacksAfterMs} and found no code of this app. */
  @state() private searchedLong = false;

  @query('video') private video!: HTMLVideoElement;
  @query('.viewfinder') private viewfinder!: HTMLElement;
  @query('#code') private codeInput!: HTMLInputElement | null;

  private stream: MediaStream | undefined;
  private loop: ScanLoop | undefined;
  private decoder: QrDecoder | undefined;
  /** Bumped by every start and stop, so that a camera that opens late is closed at once. */
  private generation = 0;
  private wantsCamera = false;
  private finished = false;
  private fallbacksTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.handleVisibility);
    document.addEventListener('paste', this.handlePaste);
    // The camera starts with the screen (it waits for the first render to get its <video>).
    if (!this.manual) void this.startCamera();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.handleVisibility);
    document.removeEventListener('paste', this.handlePaste);
    this.stopCamera();
    this.decoder?.close();
    this.decoder = undefined;
  }

  protected override willUpdate(): void {
    this.offersFallbacks = this.manual || this.cameraState === 'failed' || this.searchedLong;
  }

  protected override firstUpdated(): void {
    if (this.manual) this.codeInput?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('cameraId') && changed.get('cameraId') !== undefined && this.wantsCamera) {
      this.stopCamera();
      void this.startCamera();
    }
  }

  /** Opens the camera and starts reading frames. */
  async startCamera(): Promise<void> {
    this.stopCamera();
    this.wantsCamera = true;
    this.finished = false;
    const generation = ++this.generation;
    this.cameraState = 'starting';
    this.problem = undefined;
    this.armFallbacks();
    // The worker fetches and compiles its decoder while the camera starts, not after.
    this.decoder ??= new QrDecoder(this.decoderChoice);
    let stream: MediaStream;
    try {
      stream = await this.camera.open(this.cameraId === '' ? undefined : this.cameraId);
    } catch (error) {
      if (generation !== this.generation) return;
      this.problem = toCameraError(error).code;
      this.cameraState = 'failed';
      return;
    }
    if (generation !== this.generation || !this.isConnected) {
      stopStream(stream);
      return;
    }
    this.stream = stream;
    await this.updateComplete;
    const video = this.video;
    video.srcObject = stream;
    video.muted = true;
    // Not awaited: play() settles only once the first frame plays, which a camera can be slow to
    // send (in one CI run WebKit's play() was still pending after 25 s, the screen stuck on
    // "Starting camera"). The camera is open and its track live now; the scan loop waits for
    // frames itself.
    video.play().catch(() => {
      // Autoplay of a muted inline video is allowed everywhere; frames still arrive if not.
    });
    const track = stream.getVideoTracks()[0];
    this.torchAvailable = track !== undefined && trackHasTorch(track);
    this.torchOn = false;
    this.cameraState = 'live';
    this.placeViewfinder();
    this.loop = new ScanLoop(
      video,
      this.decoder,
      (text) => {
        this.handleFound(text);
      },
      () => {
        // A frame the decoder could not read is skipped; the next one is tried.
      },
    );
    this.loop.start();
    void this.camera.list().then((cameras) => {
      if (generation === this.generation) this.cameras = cameras;
    });
  }

  /** Offers the other ways in once the camera has looked for a while without a code. */
  private armFallbacks(): void {
    if (this.searchedLong) return;
    this.fallbacksTimer = setTimeout(() => {
      this.fallbacksTimer = undefined;
      this.searchedLong = true;
    }, this.fallbacksAfterMs);
  }

  /** Ends every camera track and stops reading frames. */
  stopCamera(): void {
    clearTimeout(this.fallbacksTimer);
    this.fallbacksTimer = undefined;
    this.generation += 1;
    this.loop?.stop();
    this.loop = undefined;
    stopStream(this.stream);
    this.stream = undefined;
    const video = this.renderRoot.querySelector('video');
    if (video !== null) video.srcObject = null;
    if (this.cameraState !== 'failed') this.cameraState = 'off';
    this.torchOn = false;
  }

  private readonly handleVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      const wanted = this.wantsCamera;
      this.stopCamera();
      this.wantsCamera = wanted;
    } else if (this.wantsCamera && !this.finished && this.cameraState !== 'live') {
      void this.startCamera();
    }
  };

  /**
   * A picture pasted anywhere on the screen is read; a link of a code of this app (or its
   * compact code) pasted anywhere, the link field too, runs at once, as a scan does. Other text
   * goes into the field as pasted, for the user to see and fix.
   */
  private readonly handlePaste = (event: ClipboardEvent): void => {
    const file = Array.from(event.clipboardData?.files ?? []).find((item) =>
      item.type.startsWith('image/'),
    );
    if (file !== undefined) {
      event.preventDefault();
      void this.readImage(file);
      return;
    }
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (payloadOf(text) === undefined) return;
    event.preventDefault();
    this.message = '';
    this.accept(text);
  };

  private handleFound(text: string): void {
    if (this.accept(text)) return;
    // Some other QR code: say so, and keep looking.
    this.loop?.start();
  }

  /** Emits a valid code and stops the camera; false (and a message) for anything else. */
  private accept(text: string): boolean {
    const payload = payloadOf(text);
    if (payload === undefined) {
      this.message = t().badCode;
      return false;
    }
    this.finished = true;
    this.wantsCamera = false;
    this.stopCamera();
    this.dispatchEvent(
      new CustomEvent('app-scanner-code', {
        detail: { text: text.trim(), payload },
        bubbles: true,
        composed: true,
      }),
    );
    return true;
  }

  private async readImage(file: Blob): Promise<void> {
    this.message = '';
    this.decoder ??= new QrDecoder(this.decoderChoice);
    try {
      const text = await decodeImageFile(file, this.decoder);
      if (text === null) this.message = t().noCodeInImage;
      else this.accept(text);
    } catch (error) {
      this.message =
        error instanceof UnreadableImageError ? t().imageUnreadable : t().noCodeInImage;
    }
  }

  private readonly handleFile = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file !== undefined) void this.readImage(file);
  };

  private readonly handleSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.message = '';
    this.accept(this.codeInput?.value ?? '');
  };

  private readonly handleCancel = (): void => {
    this.wantsCamera = false;
    this.stopCamera();
    this.dispatchEvent(new CustomEvent('app-scanner-cancel', { bubbles: true, composed: true }));
  };

  private readonly handleRetry = (): void => {
    // A camera that starts again gets its while to find a code before the fallbacks return.
    this.searchedLong = false;
    void this.startCamera();
  };

  private readonly handleTorch = async (): Promise<void> => {
    const track = this.stream?.getVideoTracks()[0];
    if (track === undefined) return;
    const on = !this.torchOn;
    try {
      await setTorch(track, on);
      this.torchOn = on;
    } catch {
      this.torchAvailable = false;
    }
  };

  private readonly handleCameraChange = (event: Event): void => {
    const deviceId = (event.target as HTMLSelectElement).value;
    this.cameraId = deviceId;
    this.dispatchEvent(
      new CustomEvent('app-scanner-camera', {
        detail: { deviceId },
        bubbles: true,
        composed: true,
      }),
    );
  };

  /** Sizes the drawn frame to the square the scan loop reads (CSSOM, which a strict CSP allows). */
  private placeViewfinder(): void {
    const { videoWidth, videoHeight } = this.video;
    if (videoWidth === 0 || videoHeight === 0) {
      this.video.addEventListener(
        'loadedmetadata',
        () => {
          this.placeViewfinder();
        },
        { once: true },
      );
      return;
    }
    const side = Math.min(videoWidth, videoHeight) * VIEWFINDER_FRACTION;
    this.viewfinder.style.setProperty('--frame-width', `${(side / videoWidth) * 100}%`);
    this.viewfinder.style.setProperty('--frame-height', `${(side / videoHeight) * 100}%`);
  }

  override render() {
    const m = t();
    const title = this.manual
      ? m.pasteLinkTitle
      : this.purpose === 'link'
        ? m.scanLinkTitle
        : m.scanLoginTitle;
    return html`
      <h1>${title}</h1>
      ${this.manual ? nothing : this.renderCamera()}
      ${this.message === '' ? nothing : html`<p class="error" role="alert">${this.message}</p>`}
      ${this.offersFallbacks ? this.renderFallbacks() : nothing}
      <div class="actions">
        <button @click=${this.handleCancel}>${m.cancel}</button>
      </div>
    `;
  }

  /** The ways in without the camera: the link first when the user asked for it. */
  private renderFallbacks() {
    const m = t();
    if (this.manual) {
      return html`<section class="fallbacks">
        ${this.renderLinkForm()} ${this.renderPicture()}
      </section>`;
    }
    return html`<section class="fallbacks" aria-labelledby="fallbacks">
      <h2 id="fallbacks">${m.noCameraOptions}</h2>
      ${this.renderPicture()} ${this.renderLinkForm()}
    </section>`;
  }

  private renderPicture() {
    const m = t();
    return html`<label class="button" for="file">${m.useImage}</label>
      <input
        id="file"
        class="visually-hidden"
        type="file"
        accept="image/*"
        @change=${this.handleFile}
      />
      <p class="hint">${m.pasteHint}</p>`;
  }

  private renderLinkForm() {
    const m = t();
    return html`<form @submit=${this.handleSubmit}>
      <label for="code">${m.pasteLink}</label>
      <p class="hint" id="code-help">${m.pasteLinkHelp}</p>
      <input
        id="code"
        type="text"
        inputmode="url"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        aria-describedby="code-help"
        required
      />
      <button type="submit">${m.submitLink}</button>
    </form>`;
  }

  private renderCamera() {
    const m = t();
    return html`
      <p>${m.scanHelp}</p>
      <div class="camera">
        <video aria-hidden="true" muted playsinline></video>
        <div class="viewfinder" aria-hidden="true"><div class="frame"></div></div>
        ${
          this.cameraState === 'starting'
            ? html`<p class="overlay" role="status">${m.startingCamera}</p>`
            : nothing
        }
      </div>
      ${this.problem === undefined ? nothing : this.renderProblem(this.problem)}
      <div class="controls">
        ${
          this.torchAvailable
            ? html`<button
                aria-pressed=${this.torchOn ? 'true' : 'false'}
                @click=${this.handleTorch}
              >
                ${this.torchOn ? m.torchOff : m.torchOn}
              </button>`
            : nothing
        }
        ${
          this.cameras.length > 1
            ? html`<label for="camera-pick" class="visually-hidden">${m.switchCamera}</label>
                <select id="camera-pick" @change=${this.handleCameraChange}>
                  ${this.cameras.map(
                    (camera, index) =>
                      html`<option
                        value=${camera.deviceId}
                        ?selected=${camera.deviceId === this.cameraId}
                      >
                        ${camera.label === '' ? m.cameraUnnamed(index + 1) : camera.label}
                      </option>`,
                  )}
                </select>`
            : nothing
        }
      </div>
    `;
  }

  private renderProblem(problem: CameraProblem) {
    const m = t();
    const text = {
      denied: m.cameraDenied,
      missing: m.cameraMissing,
      busy: m.cameraBusy,
      unsupported: m.cameraUnsupported,
      failed: m.cameraFailed,
    }[problem];
    return html`<div class="error" role="alert" data-problem=${problem}>
      <p>${text}</p>
      ${
        problem === 'missing' || problem === 'unsupported'
          ? nothing
          : html`<button @click=${this.handleRetry}>${m.tryAgain}</button>`
      }
    </div>`;
  }
}

/** The code in `text` (a link, the compact digits, Onegini's base64), or undefined. */
function payloadOf(text: string): QrPayload | undefined {
  try {
    return decodeQrPayload(text.trim());
  } catch {
    return undefined;
  }
}
