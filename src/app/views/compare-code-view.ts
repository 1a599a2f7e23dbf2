import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import { groupedCode } from '../place-text.js';
import type { PasskeyView, PendingLinkView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { shortCodeStyles } from './short-code.styles.js';

/**
 * @summary After Link: the code this phone and the linking page both show. The user compares
 * them and answers on the website, as in Bluetooth pairing; the website links only the phone
 * whose code its user saw. A phone that used a stolen code shows its code to the thief, not to
 * the owner, whose page then shows a code their own phone never did. Below the code: whether the
 * phone now checks the user's fingerprint or face, in plain words, and a way to try again when
 * setting that up was cancelled or failed.
 * @fires app-compare-code-done - the user has read the code.
 * @fires app-compare-code-passkey - the user asks to set up the fingerprint or face again.
 */
export class CompareCodeView extends LitElement {
  static override styles = [screenStyles, shortCodeStyles];

  /** The code to compare, the site, and what came of the passkey. */
  @property({ attribute: false }) link: PendingLinkView | undefined;

  /** The fingerprint or face is being set up again: the button waits. */
  @property({ type: Boolean, reflect: true }) busy = false;

  private readonly handleDone = (): void => {
    this.dispatchEvent(new CustomEvent('app-compare-code-done', { bubbles: true, composed: true }));
  };

  private readonly handlePasskey = (): void => {
    this.dispatchEvent(
      new CustomEvent('app-compare-code-passkey', { bubbles: true, composed: true }),
    );
  };

  override render() {
    const link = this.link;
    if (link === undefined) return nothing;
    const m = t();
    const canRetry = link.passkey === 'cancelled' || link.passkey === 'failed';
    return html`
      <h1>${m.linkCodeTitle}</h1>
      <p class="code-label">${m.linkCodeLabel}</p>
      <p class="code">${groupedCode(link.compareCode)}</p>
      <p>${m.linkCodeHelp}</p>
      <p class="notice passkey" role="status">
        ${this.busy ? m.settingUpPasskey : passkeyText(link.passkey)}
      </p>
      <div class="actions">
        ${
          canRetry
            ? html`<button ?disabled=${this.busy} @click=${this.handlePasskey}>
                ${m.setUpPasskey}
              </button>`
            : nothing
        }
        <button class="primary" ?disabled=${this.busy} @click=${this.handleDone}>${m.done}</button>
      </div>
    `;
  }
}

function passkeyText(passkey: PasskeyView): string {
  const m = t();
  return {
    registered: m.passkeyRegistered,
    unavailable: m.passkeyUnavailable,
    cancelled: m.passkeyCancelled,
    failed: m.passkeyFailed,
  }[passkey];
}
