import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { decodeQrPayload } from '../../protocol/index.js';
import type { DeviceStorage, Onegini, PasskeyAuthenticator } from '../../sdk/index.js';
import { loadAppConfigOrLastCopy } from '../app-config.js';
import { readCameraPreference, saveCameraPreference } from '../camera-preference.js';
import { AppSession } from '../app-session.js';
import { takeDeepLink } from '../deep-link.js';
import { t } from '../i18n/locale.js';
import {
  MediaDevicesCamera,
  type CameraChoice,
  type CameraSource,
} from '../scanner/camera-source.js';
import type {
  AccountView,
  AnswerDetail,
  LinkPreviewView,
  LoginRequestView,
  OutcomeView,
  PendingLinkView,
  PresenceCodeView,
} from '../view-models.js';
import type { AppEventMap } from './app-events.js';

/**
 * Fetches the scanner's screen (4 KB, no decoder in it) when the page is idle, so that "Scan to
 * log in" opens the camera without waiting for it. The decoder itself loads only with the scanner.
 */
function prefetchScannerView(): void {
  const load = () => {
    void import('./scanner-view.define.js');
  };
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}

/** Which screen is up. */
export type AppScreen =
  | 'loading'
  | 'startup-failed'
  | 'first-run'
  | 'home'
  | 'scanner'
  | 'working'
  | 'link-question'
  | 'compare-code'
  | 'confirm'
  | 'presence'
  | 'result';

/** Screens whose question or code a new deep link must not replace under the user's eyes. */
const BUSY_SCREENS: readonly AppScreen[] = [
  'working',
  'link-question',
  'compare-code',
  'confirm',
  'presence',
];

/**
 * @summary The scanner app: starts the SDK from ./config.json, and moves between the screens
 * (first run, home, scanner, "Link this phone?", the code to compare, confirmation, the code to
 * type, result). Offline it still opens and says that a login needs the network; a waiting new
 * version shows the update prompt.
 * @fires app-ready - the app has started (or failed to) and shows its first screen.
 */
export class ScannerApp extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100dvh;
      max-width: 36rem;
      margin: 0 auto;
      font-family: system-ui, sans-serif;
      font-size: 1.0625rem;
      background: #ffffff;
      color: #1b1f24;
    }
    main {
      flex: 1;
      display: flex;
      flex-direction: column;
    }
    main > * {
      flex: 1;
    }
    .failed {
      display: flex;
      flex-direction: column;
      gap: 1rem;
      padding: 1rem;
    }
    .failed h1 {
      font-size: 1.5rem;
      margin: 0.5rem 0 0;
    }
    .failed p {
      margin: 0;
      line-height: 1.5;
    }
    .failed button {
      font: inherit;
      font-weight: 600;
      min-height: 3rem;
      margin-top: auto;
      border-radius: 0.75rem;
      border: 2px solid #1f4e8c;
      background: #1f4e8c;
      color: #ffffff;
    }
    .offline {
      margin: 0;
      padding: 0.75rem 1rem;
      background: #fff4d6;
      color: #5c3b00;
      line-height: 1.5;
    }
  `;

  /** Where the runtime settings are read from. */
  @property({ attribute: 'config-url' }) configUrl = './config.json';

  /** Where profiles and keys live (IndexedDB by default; tests pass memory storage). */
  @property({ attribute: false }) storage: DeviceStorage | undefined;

  /** The SDK instance (Onegini.instance by default). */
  @property({ attribute: false }) onegini: Onegini | undefined;

  /** What checks the user's fingerprint or face (WebAuthn by default; tests pass a fake). */
  @property({ attribute: false }) passkeyAuthenticator: PasskeyAuthenticator | undefined;

  /** Where camera streams come from. */
  @property({ attribute: false }) camera: CameraSource = new MediaDevicesCamera();

  /** A new version of the app is waiting: show the update prompt. */
  @property({ type: Boolean, attribute: 'update-ready' }) updateReady = false;

  /** Activates the waiting version and reloads (set by main.ts from workbox-window). */
  @property({ attribute: false }) reload: () => void = () => {
    location.reload();
  };

  /** The screen on show, reflected for tests and styling. */
  @property({ reflect: true }) screen: AppScreen = 'loading';

  @state() private accounts: readonly AccountView[] = [];
  @state() private cameras: readonly CameraChoice[] = [];
  @state() private cameraId = readCameraPreference();
  @state() private notice = '';
  @state() private scanPurpose: 'login' | 'link' = 'login';
  @state() private manual = false;
  @state() private workingLabel = '';
  @state() private request: LoginRequestView | undefined;
  @state() private answering = false;
  /** The last Accept did not verify the user: the question stays up, saying so. */
  @state() private notVerified = false;
  /** The fingerprint or face of the new link is being set up again. */
  @state() private settingUpPasskey = false;
  @state() private outcome: OutcomeView | undefined;
  @state() private linkPreview: LinkPreviewView | undefined;
  @state() private pendingLink: PendingLinkView | undefined;
  @state() private presence: PresenceCodeView | undefined;
  @state() private offline = typeof navigator !== 'undefined' && !navigator.onLine;

  private session: AppSession | undefined;
  private scannerOpened = false;
  /** The "Link your phone" code the question on screen is about; taken by the first answer. */
  private linkText: string | undefined;

  constructor() {
    super();
    // The screens' events bubble up to here; listening on the host once covers every screen.
    this.listen('app-first-run-scan', (event) => {
      void this.openScanner('link', event.detail.manual);
    });
    this.listen('app-home-scan', () => void this.openScanner('login', false));
    this.listen('app-home-link', () => void this.openScanner('link', false));
    this.listen('app-home-unlink', (event) => void this.unlink(event.detail.profileId));
    this.listen('app-home-select', (event) => void this.select(event.detail.profileId));
    this.listen('app-home-camera', (event) => {
      this.chooseCamera(event.detail.deviceId);
    });
    this.listen('app-scanner-camera', (event) => {
      this.chooseCamera(event.detail.deviceId);
    });
    this.listen('app-scanner-code', (event) => void this.handleCode(event.detail.text));
    this.listen('app-scanner-cancel', () => {
      this.showHome();
    });
    this.listen('app-link-question-answer', (event) => void this.answerLink(event.detail.link));
    this.listen('app-compare-code-done', () => {
      this.notice =
        this.pendingLink === undefined ? '' : t().linkAwaitsWebsite(this.pendingLink.siteName);
      this.showHome();
    });
    this.listen('app-compare-code-passkey', () => void this.retryPasskey());
    this.listen('app-confirmation-answer', (event) => void this.answer(event.detail));
    this.listen('app-presence-proof-done', () => {
      this.showHome();
    });
    this.listen('app-result-done', () => {
      this.showHome();
    });
    this.listen('app-result-scan', () => void this.openScanner('login', false));
    this.listen('app-update-reload', () => {
      this.reload();
    });
    this.listen('app-update-dismiss', () => {
      this.updateReady = false;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.handleConnectivity);
    window.addEventListener('offline', this.handleConnectivity);
    window.addEventListener('hashchange', this.handleHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.handleConnectivity);
    window.removeEventListener('offline', this.handleConnectivity);
    window.removeEventListener('hashchange', this.handleHashChange);
  }

  protected override firstUpdated(): void {
    void this.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('screen') && changed.get('screen') !== undefined) void this.focusHeading();
  }

  /** Reads the settings, starts the SDK and shows the first screen (or the deep link's flow). */
  async start(): Promise<void> {
    this.screen = 'loading';
    try {
      const { config, offline } = await loadAppConfigOrLastCopy(
        new URL(this.configUrl, document.baseURI),
      );
      this.offline = offline || !navigator.onLine;
      this.session = await AppSession.start(
        config,
        {
          onRequest: (request) => {
            this.request = request;
            this.answering = false;
            this.notVerified = false;
            this.screen = 'confirm';
          },
          onClose: () => {
            this.answering = false;
          },
        },
        {
          ...(this.storage === undefined ? {} : { storage: this.storage }),
          ...(this.onegini === undefined ? {} : { onegini: this.onegini }),
          ...(this.passkeyAuthenticator === undefined
            ? {}
            : { passkeyAuthenticator: this.passkeyAuthenticator }),
        },
      );
      this.accounts = await this.session.accounts();
    } catch (error) {
      console.error(error);
      this.screen = 'startup-failed';
      this.fireReady();
      return;
    }
    const deepLink = takeDeepLink();
    if (deepLink === undefined) this.showHome();
    this.fireReady();
    if (deepLink !== undefined) await this.handleCode(deepLink);
  }

  private readonly handleConnectivity = (event: Event): void => {
    this.offline = event.type === 'offline';
  };

  private readonly handleHashChange = (): void => {
    if (this.session === undefined || BUSY_SCREENS.includes(this.screen)) return;
    const deepLink = takeDeepLink();
    if (deepLink !== undefined) void this.handleCode(deepLink);
  };

  private readonly handleRetry = (): void => {
    void this.start();
  };

  private listen<K extends keyof AppEventMap>(type: K, listener: (event: AppEventMap[K]) => void) {
    this.addEventListener(type, listener as EventListener);
  }

  private fireReady(): void {
    this.dispatchEvent(new CustomEvent('app-ready', { bubbles: true, composed: true }));
  }

  private showHome(): void {
    this.request = undefined;
    this.outcome = undefined;
    this.linkPreview = undefined;
    this.linkText = undefined;
    this.pendingLink = undefined;
    this.presence = undefined;
    this.screen = this.accounts.length === 0 ? 'first-run' : 'home';
    prefetchScannerView();
    // Camera names show only after the camera was allowed, i.e. after a scan.
    if (this.screen === 'home' && this.scannerOpened) {
      void this.camera.list().then((cameras) => {
        this.cameras = cameras;
      });
    }
  }

  private async openScanner(purpose: 'login' | 'link', manual: boolean): Promise<void> {
    this.notice = '';
    this.scanPurpose = purpose;
    this.manual = manual;
    // The scanner and its decoder are a chunk of their own, fetched only now.
    await import('./scanner-view.define.js');
    this.scannerOpened = true;
    this.screen = 'scanner';
  }

  private async handleCode(text: string): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    let kind: 'link' | 'login';
    try {
      kind = decodeQrPayload(text).kind === 'enrollment' ? 'link' : 'login';
    } catch {
      this.showOutcome({ kind: 'error', detail: t().badCode });
      return;
    }
    if (kind === 'link') {
      // Ask first, scan and deep link alike: a code someone else saw must not link with one tap.
      this.workingLabel = t().gettingLinkDetails;
      this.screen = 'working';
      const preview = await session.previewLink(text);
      if ('kind' in preview) {
        this.showOutcome(preview);
        return;
      }
      this.linkText = text;
      this.linkPreview = preview;
      this.offline = false;
      this.screen = 'link-question';
      return;
    }
    if (this.accounts.length === 0) {
      this.showOutcome({ kind: 'not-linked' });
      return;
    }
    this.workingLabel = t().gettingDetails;
    this.screen = 'working';
    const outcome = await session.login(text);
    if ('presenceCode' in outcome) {
      this.request = undefined;
      this.answering = false;
      this.offline = false;
      this.presence = outcome;
      this.screen = 'presence';
      return;
    }
    this.showOutcome(outcome);
  }

  private async answerLink(link: boolean): Promise<void> {
    const session = this.session;
    const text = this.linkText;
    if (session === undefined || text === undefined) return;
    this.linkText = undefined;
    if (!link) {
      this.notice = t().linkCanceled;
      this.showHome();
      return;
    }
    this.workingLabel = t().linking;
    this.screen = 'working';
    const linked = await session.link(text);
    this.accounts = await session.accounts();
    this.linkPreview = undefined;
    if ('kind' in linked) {
      this.showOutcome(linked);
      return;
    }
    this.pendingLink = linked;
    this.screen = 'compare-code';
  }

  private async answer(detail: AnswerDetail): Promise<void> {
    if (this.session === undefined || this.answering) return;
    this.answering = true;
    this.notVerified = false;
    const result = await this.session.answer(detail);
    if (result === 'sent' || this.screen !== 'confirm') return;
    // Nothing was sent: the question waits for another try, or a deny.
    this.answering = false;
    if (result === 'not-verified') this.notVerified = true;
    else if (this.request !== undefined) this.request = { ...this.request, acceptBy: 'impossible' };
  }

  /** Sets up the fingerprint or face of the account just linked, once more. */
  private async retryPasskey(): Promise<void> {
    const session = this.session;
    const link = this.pendingLink;
    if (session === undefined || link === undefined || this.settingUpPasskey) return;
    this.settingUpPasskey = true;
    const passkey = await session.retryPasskey(link.profileId);
    this.settingUpPasskey = false;
    if (this.pendingLink === link) this.pendingLink = { ...link, passkey };
  }

  private async unlink(profileId: string): Promise<void> {
    if (this.session === undefined) return;
    const site = this.accounts.find((account) => account.profileId === profileId)?.siteName ?? '';
    await this.session.unlink(profileId);
    this.accounts = await this.session.accounts();
    this.notice = t().unlinked(site);
    this.showHome();
  }

  private async select(profileId: string): Promise<void> {
    if (this.session === undefined) return;
    await this.session.select(profileId);
    this.accounts = await this.session.accounts();
  }

  private chooseCamera(deviceId: string): void {
    this.cameraId = deviceId;
    saveCameraPreference(deviceId);
  }

  private showOutcome(outcome: OutcomeView): void {
    // An answer from the Token Server proves the network is back; navigator.onLine may not say so.
    if (outcome.kind === 'offline') this.offline = true;
    else if (outcome.kind !== 'error') this.offline = false;
    this.request = undefined;
    this.answering = false;
    this.outcome = outcome;
    this.screen = 'result';
  }

  /** Moves focus to the new screen's title, so that a screen reader reads where the user is. */
  private async focusHeading(): Promise<void> {
    await this.updateComplete;
    const view = this.renderRoot.querySelector('main > *');
    if (!(view instanceof LitElement)) return;
    await view.updateComplete;
    const heading = view.renderRoot.querySelector('h1');
    if (heading === null) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  override render() {
    const m = t();
    return html`
      ${this.updateReady ? html`<app-update-prompt></app-update-prompt>` : nothing}
      ${this.offline ? html`<p class="offline" role="status">${m.offlineNotice}</p>` : nothing}
      <main>${this.renderScreen()}</main>
    `;
  }

  private renderScreen() {
    const m = t();
    switch (this.screen) {
      case 'loading':
        return html`<app-working .label=${m.loading}></app-working>`;
      case 'startup-failed':
        return html`<section class="failed">
          <h1>${m.startupFailed}</h1>
          <p>${m.startupFailedHelp}</p>
          <button @click=${this.handleRetry}>${m.tryAgain}</button>
        </section>`;
      case 'first-run':
        return html`<app-first-run></app-first-run>`;
      case 'home':
        return html`<app-home
          .accounts=${this.accounts}
          .cameras=${this.cameras}
          .cameraId=${this.cameraId}
          .notice=${this.notice}
        ></app-home>`;
      case 'scanner':
        return html`<app-scanner
          .purpose=${this.scanPurpose}
          .camera=${this.camera}
          .cameraId=${this.cameraId}
          ?manual=${this.manual}
        ></app-scanner>`;
      case 'working':
        return html`<app-working .label=${this.workingLabel}></app-working>`;
      case 'link-question':
        return html`<app-link-question .preview=${this.linkPreview}></app-link-question>`;
      case 'compare-code':
        return html`<app-compare-code
          .link=${this.pendingLink}
          ?busy=${this.settingUpPasskey}
        ></app-compare-code>`;
      case 'presence':
        return html`<app-presence-proof .presence=${this.presence}></app-presence-proof>`;
      case 'confirm':
        return html`<app-confirmation
          .request=${this.request}
          ?busy=${this.answering}
          ?not-verified=${this.notVerified}
        ></app-confirmation>`;
      case 'result':
        return html`<app-result .outcome=${this.outcome}></app-result>`;
    }
  }
}
