import {
  html,
  isServer,
  LitElement,
  nothing,
  svg,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { property, state } from 'lit/decorators.js';
import type { OtpLoginQrEventMap } from './events.js';
import { LoginPollController, type OtpLoginQrStatus } from './login-poll-controller.js';
import { LanguageController } from './language-controller.js';
import {
  formatCountdown,
  groupDigits,
  type WidgetMessages,
  type WidgetPurpose,
} from './messages.js';
import { otpLoginQrStyles } from './otp-login-qr.styles.js';
import { drawQr, errorCorrectionLevel, type QrDrawing } from './qr-drawing.js';
import { sameOriginUrl, webUrl } from './safe-url.js';

// Lit declares `isServer` as the literal `false`, its value in browsers; in Node it is true.
const onServer: boolean = isServer;

/** When to offer "Open the app on this device": on touch screens (`auto`), always, or never. */
export type SameDeviceMode = 'auto' | 'always' | 'never';

/**
 * A login QR code: it asks the website for a one-time code, shows it as a QR code, waits for the
 * user to confirm on their phone and then takes the page where the website says.
 *
 * @summary Log in by scanning a QR code with the app on your phone.
 *
 * @attr lang - The language of the element's text (English `en`, Dutch `nl`, German `de`, French
 *   `fr`, or one the page registers with `registerLanguage`); by default the closest `lang`
 *   attribute, as for any element.
 * @attr {OtpLoginQrStatus} status - Written by the element, never read: the `status` property, for
 *   styling with `:host([status=…])`. A value the page writes changes nothing.
 *
 * @fires {CustomEvent<OtpLoginQrStatusDetail>} otp-login-qr-status - The `status` changed.
 * @fires {CustomEvent<OtpLoginQrScannedDetail>} otp-login-qr-scanned - A phone scanned the code;
 *   the user is confirming there.
 * @fires {CustomEvent<OtpLoginQrAcceptedDetail>} otp-login-qr-accepted - The user confirmed.
 *   Cancelable: unless prevented, the element goes to `detail.redirectTo`.
 * @fires {CustomEvent<OtpLoginQrConfirmDetail>} otp-login-qr-confirm - The phone is done and the
 *   element asks the user to confirm in the browser: `kind` `enter_code` (type the code the phone
 *   shows) or `compare_code` (say whether the phone shows `compareCode`, when linking a phone).
 * @fires {CustomEvent<Record<string, never>>} otp-login-qr-denied - The user refused on the phone
 *   (or, linking a phone, said that its code differs).
 * @fires {CustomEvent<OtpLoginQrExpiredDetail>} otp-login-qr-expired - The last code ran out.
 * @fires {CustomEvent<OtpLoginQrErrorDetail>} otp-login-qr-error - The website broke the contract
 *   or cannot be reached; `detail.error` has a stable `code` and the `cause`.
 *
 * @csspart base - The box around everything.
 * @csspart qr - The QR code (an SVG) or its placeholder while loading.
 * @csspart status - The sentence that says what is happening (a polite live region).
 * @csspart countdown - The time left on the current code.
 * @csspart code - The number-matching code to pick on the phone, or the code to compare with the
 *   phone's when linking it.
 * @csspart button - "Get a new code" / "Try again", "Open the app on this device", the two answers
 *   to "Does your phone show this code?" and the button that sends a typed code.
 * @csspart input - The field for the code the phone shows (proof of presence).
 * @csspart same-device - The link "Open the app on this device" (a `button` part too), shown while
 *   a code waits to be scanned when the website sent `same_device_url`.
 *
 * @cssproperty [--otp-login-qr-foreground=#000000] - The QR code's dark modules.
 * @cssproperty [--otp-login-qr-background=#ffffff] - The QR code's light modules and quiet zone.
 * @cssproperty [--otp-login-qr-color=#1f2328] - Text colour.
 * @cssproperty [--otp-login-qr-muted-color=#4d5561] - The countdown's colour.
 * @cssproperty [--otp-login-qr-error-color=#b3261e] - The status text when denied or failed.
 * @cssproperty [--otp-login-qr-success-color=#146c2e] - The status text when logged in.
 * @cssproperty [--otp-login-qr-accent=#0b57d0] - Button background.
 * @cssproperty [--otp-login-qr-on-accent=#ffffff] - Button text.
 * @cssproperty [--otp-login-qr-focus-ring=#0b57d0] - Keyboard focus outline.
 * @cssproperty [--otp-login-qr-surface=transparent] - Background of the base part.
 * @cssproperty [--otp-login-qr-placeholder=#f0f1f3] - Background of the QR placeholder.
 * @cssproperty [--otp-login-qr-font=inherit] - Font shorthand.
 * @cssproperty [--otp-login-qr-gap=0.75rem] - Space between the parts.
 * @cssproperty [--otp-login-qr-padding=1rem] - Padding of the base part.
 * @cssproperty [--otp-login-qr-radius=0.5rem] - Corner radius of the base part.
 * @cssproperty [--otp-login-qr-qr-radius=0.25rem] - Corner radius of the QR code.
 * @cssproperty [--otp-login-qr-button-radius=0.375rem] - Corner radius of the buttons.
 */
export class OtpLoginQr extends LitElement {
  static override styles = otpLoginQrStyles;

  /** The website's login endpoint: `POST` starts a login, `GET {endpoint}/{id}` polls it. */
  @property() endpoint = '';

  /** Seconds the website may hold one status request (long-poll), 0 to 60. */
  @property({ type: Number, attribute: 'poll-wait' }) pollWait = 30;

  /** How many times an unused code is replaced by a fresh one before "Get a new code". */
  @property({ type: Number, attribute: 'max-rotations' }) maxRotations = 3;

  /** Width and height of the QR code in CSS pixels. */
  @property({ type: Number }) size = 200;

  /** QR error correction level: `L`, `M`, `Q` or `H`. */
  @property({ attribute: 'error-correction' }) errorCorrection = 'M';

  /**
   * When to offer "Open the app on this device" (needs `same_device_url` from the website):
   * `auto` (on touch screens), `always` or `never`.
   */
  @property({ attribute: 'same-device' }) sameDevice: SameDeviceMode = 'auto';

  /**
   * What the code is for: `login` (logging in) or `link` (linking the phone to the account the
   * user is logged in to). Only the wording changes: with `link` the element speaks of linking
   * the phone rather than of logging in. Any other value is read as `login`.
   */
  @property() purpose: WidgetPurpose = 'login';

  /**
   * Where the login stands: `idle`, `loading`, `pending`, `scanned`, `confirm` (the page asks the
   * user to confirm what the phone shows), `accepted`, `denied`, `expired` or `error`. Read-only:
   * the element sets it, and shows it in its `status` attribute for styling with
   * `:host([status=…])` (an attribute the page sets changes nothing).
   */
  get status(): OtpLoginQrStatus {
    return this.shownStatus;
  }

  @state() private shownStatus: OtpLoginQrStatus = 'idle';

  private readonly _poller = new LoginPollController(this, {
    endpoint: () => this.endpoint.trim(),
    pollWait: () => (Number.isFinite(this.pollWait) ? this.pollWait : 30),
    maxRotations: () =>
      Number.isFinite(this.maxRotations) ? Math.max(0, Math.floor(this.maxRotations)) : 0,
    encode: (text) => {
      this._drawing = drawQr(text, errorCorrectionLevel(this.errorCorrection));
    },
    isSafeRedirect: (url) => !!sameOriginUrl(url),
    statusChanged: (status, previous) => {
      this._handleStatusChange(status, previous);
    },
  });

  private _drawing: QrDrawing | undefined;
  private _touchScreen = false;
  private _countdownTimer: ReturnType<typeof setInterval> | undefined;
  // The text follows the closest `lang`, which may change on any ancestor.
  private readonly _language = new LanguageController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    // Read here, not in render(): a server renders the element too, and has no screen.
    this._touchScreen = matchMedia('(pointer: coarse)').matches;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopCountdown();
  }

  /** Forgets the current code and starts a new login. */
  restart(): void {
    this._poller.start();
  }

  /** Stops all traffic and timers; the element shows "Get a new code". */
  stop(): void {
    this._poller.stop();
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Shown here rather than by Lit's `reflect`, which would also read the attribute back in;
    // willUpdate runs in server rendering too, so the rendered tag has it as well.
    if (changed.has('shownStatus')) this.setAttribute('status', this.shownStatus);
    this._poller.sync();
    const drawing = this._drawing;
    const level = errorCorrectionLevel(this.errorCorrection);
    if (changed.has('errorCorrection') && drawing && level !== drawing.level) {
      try {
        this._drawing = drawQr(drawing.text, level);
      } catch {
        // The text fitted at the old level; keep that drawing rather than none.
      }
    }
  }

  protected override updated(changed: PropertyValues): void {
    // The website asks for the code the phone shows: the user's next step is typing it here.
    if (changed.has('shownStatus') && this.shownStatus === 'confirm')
      this.renderRoot.querySelector('input')?.focus();
    // The countdown ticks while a code waits to be scanned.
    if (this.status === 'pending') {
      this._countdownTimer ??= setInterval(() => {
        this.requestUpdate();
      }, 1000);
    } else {
      this._stopCountdown();
    }
  }

  private _stopCountdown(): void {
    clearInterval(this._countdownTimer);
    this._countdownTimer = undefined;
  }

  private _handleStatusChange(status: OtpLoginQrStatus, previous: OtpLoginQrStatus): void {
    const { login, rotations, error, redirectTo, confirmation } = this._poller;
    this.shownStatus = status;
    emit(this, 'otp-login-qr-status', { status, previous });
    if (status === 'scanned') emit(this, 'otp-login-qr-scanned', { code: login?.code });
    if (status === 'confirm' && confirmation?.confirm)
      emit(this, 'otp-login-qr-confirm', {
        kind: confirmation.confirm,
        compareCode: confirmation.compare_code,
      });
    if (status === 'denied') emit(this, 'otp-login-qr-denied', {});
    if (status === 'expired') emit(this, 'otp-login-qr-expired', { rotations });
    if (status === 'error' && error) emit(this, 'otp-login-qr-error', { error });
    if (
      status === 'accepted' &&
      emit(this, 'otp-login-qr-accepted', { redirectTo }, true) &&
      redirectTo !== undefined
    ) {
      const url = sameOriginUrl(redirectTo);
      if (url) location.assign(url.href);
    }
  }

  private readonly _handleRestartClick = () => {
    this.restart();
  };

  private readonly _handleMatchesClick = () => {
    this._poller.confirm({ matches: true });
  };

  private readonly _handleDiffersClick = () => {
    this._poller.confirm({ matches: false });
  };

  private readonly _handleCodeSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input');
    if (!input) return;
    // Typed as the phone groups it ("482 193") or not.
    this._poller.confirm({ code: input.value.replace(/\s/g, '') });
    // A wrong code is typed over.
    input.select();
  };

  override render(): TemplateResult {
    const { sameDevice } = this;
    // Rendered on a server, an element with an endpoint looks as it will once the browser asks
    // for its code, rather than stopped with a button to press before any script runs.
    const status = onServer && this.endpoint.trim() ? 'loading' : this.status;
    const { login, confirmation } = this._poller;
    const code = login?.code;
    const asked = status === 'confirm' ? confirmation : undefined;
    const compareCode = asked?.compare_code;
    const triesLeft = asked?.tries_left;
    const t = this._language.messages(this.purpose);
    const stopped = status === 'idle' || status === 'expired';
    // "Get a new code" once the codes ran out or stopped, "Try again" after a refusal or an error;
    // nothing to offer an element that has no endpoint yet.
    const button = stopped
      ? this.endpoint.trim() && t.newCode
      : (status === 'denied' || status === 'error') && t.tryAgain;
    const sameDeviceUrl =
      status === 'pending' &&
      sameDevice !== 'never' &&
      (sameDevice === 'always' || this._touchScreen) &&
      login?.same_device_url !== undefined &&
      webUrl(login.same_device_url);
    const time = formatCountdown(this._poller.secondsLeft());
    // Each part on its own, so that the build can squeeze the whitespace out of every template.
    const shownCode = compareCode ? groupDigits(compareCode) : status === 'scanned' && code;
    const codePart = shownCode ? html`<p part="code">${shownCode}</p>` : nothing;
    // Two answers of equal weight, and neither focused: Enter must not link a stranger's phone.
    const confirmPart = compareCode
      ? html`<div class="answers">
          <button part="button" @click=${this._handleMatchesClick}>${t.sameCode}</button>
          <button part="button" @click=${this._handleDiffersClick}>${t.otherCode}</button>
        </div>`
      : asked
        ? html`<form @submit=${this._handleCodeSubmit}>
            <label for="code">${t.codeLabel}</label>
            <input
              part="input"
              id="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{3} ?[0-9]{3}"
              required
            />
            <button part="button">${t.submitCode}</button>
          </form>`
        : nothing;
    const countdown =
      status === 'pending'
        ? html`<p part="countdown">
            ${this._poller.isLastCode() ? t.expiresIn(time) : t.refreshesIn(time)}
          </p>`
        : nothing;
    const buttonPart = button
      ? html`<button part="button" type="button" @click=${this._handleRestartClick}>
          ${button}
        </button>`
      : nothing;
    const sameDevicePart = sameDeviceUrl
      ? html`<a part="button same-device" href=${sameDeviceUrl.href}>${t.openApp}</a>`
      : nothing;
    const sentence =
      status === 'idle'
        ? this.endpoint.trim() && t.stopped
        : status === 'scanned' && code !== undefined
          ? t.scannedWithCode(code)
          : status === 'confirm'
            ? compareCode
              ? t.compareQuestion
              : triesLeft
                ? t.wrongCode(triesLeft)
                : t.enterCode
            : status === 'denied' && confirmation?.confirm === 'enter_code'
              ? t.wrongCodes
              : // Every other status has a sentence of its own name.
                t[status];
    // While the browser confirms, the QR is gone: it was used, and nothing should be scanned.
    return html`<div part="base">
      ${asked ? nothing : this._renderQr(t, status)} ${codePart}
      <p part="status" role="status">${sentence}</p>
      ${confirmPart} ${countdown} ${buttonPart} ${sameDevicePart}
    </div>`;
  }

  private _renderQr(t: WidgetMessages, status: OtpLoginQrStatus): TemplateResult {
    const { size } = this;
    const drawing = this._drawing;
    if (
      !drawing ||
      !this._poller.login ||
      (status !== 'pending' && status !== 'scanned' && status !== 'loading')
    ) {
      // Keeps the layout steady while there is no code to show.
      const spinner =
        status === 'loading' ? svg`<circle cx="50" cy="50" r="12"></circle>` : nothing;
      return html`<svg
        part="qr"
        class="placeholder"
        aria-hidden="true"
        width=${size}
        height=${size}
        viewBox="0 0 100 100"
      >
        <rect width="100" height="100"></rect>
        ${spinner}
      </svg>`;
    }
    const quiet = 4;
    const box = drawing.size + 2 * quiet;
    return html`<svg
      part="qr"
      role="img"
      aria-label=${t.qrLabel}
      width=${size}
      height=${size}
      viewBox="${-quiet} ${-quiet} ${box} ${box}"
      shape-rendering="crispEdges"
    >
      <rect x=${-quiet} y=${-quiet} width=${box} height=${box}></rect>
      <path d=${drawing.path}></path>
    </svg>`;
  }
}

/** Dispatches one of the element's events; true unless a listener prevented its default. */
function emit<K extends keyof OtpLoginQrEventMap>(
  target: OtpLoginQr,
  type: K,
  detail: OtpLoginQrEventMap[K]['detail'],
  cancelable = false,
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }),
  );
}
