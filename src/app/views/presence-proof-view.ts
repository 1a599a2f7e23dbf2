import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import { groupedCode } from '../place-text.js';
import type { PresenceCodeView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { shortCodeStyles } from './short-code.styles.js';

/**
 * @summary After an Accept that needs proof of presence: the code the browser that is logging
 * in must type before the website logs it in. Someone who relays the login QR from elsewhere
 * sees no such code; the only way left to them is to ask the user for it, which is why the
 * screen says, in so many words, never to give it to anyone.
 * @fires app-presence-proof-done - the user has typed the code.
 */
export class PresenceProofView extends LitElement {
  static override styles = [screenStyles, shortCodeStyles];

  /** The code to type, and the site. */
  @property({ attribute: false }) presence: PresenceCodeView | undefined;

  private readonly handleDone = (): void => {
    this.dispatchEvent(
      new CustomEvent('app-presence-proof-done', { bubbles: true, composed: true }),
    );
  };

  override render() {
    const presence = this.presence;
    if (presence === undefined) return nothing;
    const m = t();
    return html`
      <h1>${m.presenceTitle}</h1>
      <p class="code-label">${m.presenceCodeLabel}</p>
      <p class="code">${groupedCode(presence.presenceCode)}</p>
      <p>${m.presenceHelp(presence.siteName)}</p>
      <div class="actions">
        <button class="primary" @click=${this.handleDone}>${m.done}</button>
      </div>
    `;
  }
}
