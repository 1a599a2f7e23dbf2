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
 * @summary The scanner: the camera with a viewfinder, and ways in without a camera (a picture,
 * pasting, typing). Camera tracks live only while this screen is shown and the app is visible;
 * they end as soon as a code is found.
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

  /** Start with the code field instead of the camera. */
  @property({ type: Boolean }) manual = false;

  /** Which decoder the worker uses. */
  @property({ attribute: 'decoder' }) decoderChoice: DecoderChoice = 'auto';

  /** What the camera is doing, reflected for styling and tests. */
  @property({ reflect: true, attribute: 'camera-state' }) cameraState: CameraState = 'off';

  @state() private problem: CameraProblem | undefined;
  @state() private message = '';
  @state() private torchAvailable = false;
  @state() private torchOn = false;
  @state() private cameras: readonly CameraChoice[] = [];

  @query('video') private video!: HTMLVideoElement;
  @query('.viewfinder') private viewfinder!: HTMLElement;
  @query('#code') private codeInput!: HTMLInputElement;

  private stream: MediaStream | undefined;
  private loop: ScanLoop | undefined;
  private decoder: QrDecoder | undefined;
  /** Bumped by every start and stop, so that a camera that opens late is closed at once. */
  private generation = 0;
  private wantsCamera = false;
  private finished = false;

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

  protected override firstUpdated(): void {
    if (this.manual) this.codeInput.focus();
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

  /** Ends every camera track and stops reading frames. */
  stopCamera(): void {
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

  private readonly handlePaste = (event: ClipboardEvent): void => {
    const file = Array.from(event.clipboardData?.files ?? []).find((item) =>
      item.type.startsWith('image/'),
    );
    if (file === undefined) return;
    event.preventDefault();
    void this.readImage(file);
  };

  private handleFound(text: string): void {
    if (this.accept(text)) return;
    // Some other QR code: say so, and keep looking.
    this.loop?.start();
  }

  /** Emits a valid code and stops the camera; false (and a message) for anything else. */
  private accept(text: string): boolean {
    let payload: QrPayload;
    try {
      payload = decodeQrPayload(text.trim());
    } catch {
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
    this.accept(this.codeInput.value);
  };

  private readonly handleCancel = (): void => {
    this.wantsCamera = false;
    this.stopCamera();
    this.dispatchEvent(new CustomEvent('app-scanner-cancel', { bubbles: true, composed: true }));
  };

  private readonly handleRetry = (): void => {
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
    return html`
      <h1>${this.purpose === 'link' ? m.scanLinkTitle : m.scanLoginTitle}</h1>
      ${this.manual ? nothing : this.renderCamera()}
      ${this.message === '' ? nothing : html`<p class="error" role="alert">${this.message}</p>`}
      <section class="fallbacks" aria-labelledby="fallbacks">
        <h2 id="fallbacks">${m.noCameraOptions}</h2>
        <label class="button" for="file">${m.useImage}</label>
        <input
          id="file"
          class="visually-hidden"
          type="file"
          accept="image/*"
          @change=${this.handleFile}
        />
        <p class="hint">${m.pasteHint}</p>
        <form @submit=${this.handleSubmit}>
          <label for="code">${m.typeCode}</label>
          <input
            id="code"
            type="text"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            inputmode="text"
            required
          />
          <button type="submit">${m.submitCode}</button>
        </form>
      </section>
      <div class="actions">
        <button @click=${this.handleCancel}>${m.cancel}</button>
      </div>
    `;
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
