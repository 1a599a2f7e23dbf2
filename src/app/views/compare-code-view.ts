import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import { groupedCode } from '../place-text.js';
import type { PendingLinkView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { shortCodeStyles } from './short-code.styles.js';

/**
 * @summary After Link: the code this phone and the linking page both show. The user compares
 * them and answers on the website, as in Bluetooth pairing; the website links only the phone
 * whose code its user saw. A phone that used a stolen code shows its code to the thief, not to
 * the owner, whose page then shows a code their own phone never did.
 * @fires app-compare-code-done - the user has read the code.
 */
export class CompareCodeView extends LitElement {
  static override styles = [screenStyles, shortCodeStyles];

  /** The code to compare, and the site. */
  @property({ attribute: false }) link: PendingLinkView | undefined;

  private readonly handleDone = (): void => {
    this.dispatchEvent(new CustomEvent('app-compare-code-done', { bubbles: true, composed: true }));
  };

  override render() {
    const link = this.link;
    if (link === undefined) return nothing;
    const m = t();
    return html`
      <h1>${m.linkCodeTitle}</h1>
      <p class="code-label">${m.linkCodeLabel}</p>
      <p class="code">${groupedCode(link.compareCode)}</p>
      <p>${m.linkCodeHelp}</p>
      <div class="actions">
        <button class="primary" @click=${this.handleDone}>${m.done}</button>
      </div>
    `;
  }
}
