import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import type { OutcomeView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { resultStyles } from './result-view.styles.js';

/**
 * @summary How a login (or linking) ended, and what to do next.
 * @fires app-result-done - back to the home screen.
 * @fires app-result-scan - scan another code.
 */
export class ResultView extends LitElement {
  static override styles = [screenStyles, resultStyles];

  /** The outcome to show. */
  @property({ attribute: false }) outcome: OutcomeView | undefined;

  /** The outcome's kind, reflected for styling. */
  @property({ reflect: true }) kind = '';

  override willUpdate(): void {
    this.kind = this.outcome?.kind ?? '';
  }

  private readonly handleDone = (): void => {
    this.dispatchEvent(new CustomEvent('app-result-done', { bubbles: true, composed: true }));
  };

  private readonly handleScan = (): void => {
    this.dispatchEvent(new CustomEvent('app-result-scan', { bubbles: true, composed: true }));
  };

  override render() {
    const outcome = this.outcome;
    if (outcome === undefined) return nothing;
    const m = t();
    const site = outcome.siteName ?? '';
    const [title, next] = {
      accepted: [m.acceptedTitle, m.acceptedNext(site)],
      denied: [m.deniedTitle, m.deniedNext],
      expired: [m.expiredTitle, m.expiredNext],
      handled: [m.handledTitle, m.handledNext],
      'not-linked': [m.notLinkedTitle, m.notLinkedNext],
      unlinked: [m.unlinkedTitle, m.unlinkedNext],
      offline: [m.offlineTitle, m.offlineNext],
      error: [m.errorTitle, m.errorNext],
      'link-failed': [m.linkFailedTitle, m.linkFailedNext],
      'link-used': [m.linkUsedTitle, m.linkUsedNext],
      'link-not-confirmed': [m.linkNotConfirmedTitle, m.linkNotConfirmedNext],
    }[outcome.kind];
    // After a stolen link code the next step is on the website (say No, link anew), not a scan.
    const canRetry = !['accepted', 'denied', 'link-used'].includes(outcome.kind);
    return html`
      <div class="mark" aria-hidden="true"></div>
      <h1 tabindex="-1">${title}</h1>
      <p>${next}</p>
      ${
        outcome.detail === undefined || outcome.detail === ''
          ? nothing
          : html`<p class="detail">${m.details(outcome.detail)}</p>`
      }
      <div class="actions">
        ${canRetry ? html`<button @click=${this.handleScan}>${m.scanAgain}</button>` : nothing}
        <button class="primary" @click=${this.handleDone}>${m.done}</button>
      </div>
    `;
  }

  /** Moves the screen reader to the outcome's title. */
  override firstUpdated(): void {
    this.renderRoot.querySelector('h1')?.focus();
  }
}
