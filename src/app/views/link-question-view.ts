import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import type { LinkPreviewView } from '../view-models.js';
import { questionStyles } from './question-styles.js';
import { renderRequesterRows } from './requester-rows.js';
import { screenStyles } from './shared-styles.js';
import { wrappableName, wrappableSentence } from './wrap-points.js';

/**
 * @summary The question "Link this phone to alice@example.com at Demo Bank?", asked before
 * anything is linked, scan and deep link alike: a "Link your phone" code that someone else saw
 * (over a shoulder, in a screen share, in a message) must not link a phone with one tap. It shows
 * the browser, network and place of the linking page, as the Token Server describes them, and
 * says to cancel a code that someone sent. Cancel is as large and as near as Link.
 * @fires app-link-question-answer - `detail.link`: true to link, false to cancel.
 */
export class LinkQuestionView extends LitElement {
  static override styles = [screenStyles, questionStyles];

  /** The link to ask about. */
  @property({ attribute: false }) preview: LinkPreviewView | undefined;

  private readonly handleLink = (): void => {
    this.answer(true);
  };

  private readonly handleCancel = (): void => {
    this.answer(false);
  };

  private answer(link: boolean): void {
    this.dispatchEvent(
      new CustomEvent('app-link-question-answer', {
        detail: { link },
        bubbles: true,
        composed: true,
      }),
    );
  }

  override render() {
    const preview = this.preview;
    if (preview === undefined) return nothing;
    const m = t();
    return html`
      <h1>${wrappableSentence(m.linkTitle(preview.accountName, preview.siteName))}</h1>
      <p>${m.linkIntro}</p>
      <dl>
        <div>
          <dt>${m.siteLabel}</dt>
          <dd>${wrappableName(preview.siteName)}</dd>
        </div>
        <div>
          <dt>${m.accountLabel}</dt>
          <dd>${wrappableName(preview.accountName)}</dd>
        </div>
        ${renderRequesterRows(preview, m.linkBrowserLabel)}
      </dl>
      <p class="hint">${m.linkHint}</p>
      <div class="actions answer">
        <button class="deny" @click=${this.handleCancel}>${m.cancel}</button>
        <button class="accept" @click=${this.handleLink}>${m.link}</button>
      </div>
    `;
  }
}
