import { html, LitElement, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { t } from '../i18n/locale.js';
import type { OutcomeKind, OutcomeView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { resultStyles } from './result-view.styles.js';

/** The mark of an outcome: a tick for done, a warning sign for "try again", a cross for no. */
export type ResultMark = 'tick' | 'cross' | 'warning';

/** Which mark each outcome shows (the amber kinds ask the user to try again). */
export const MARK_OF: Readonly<Record<OutcomeKind, ResultMark>> = {
  accepted: 'tick',
  denied: 'cross',
  expired: 'warning',
  handled: 'warning',
  offline: 'warning',
  'link-not-confirmed': 'warning',
  'not-linked': 'cross',
  unlinked: 'cross',
  error: 'cross',
  'link-failed': 'cross',
  'link-used': 'cross',
  'not-verified': 'cross',
};

/**
 * The mark, drawn inline (a strict CSP allows no image that is not a file, and no style
 * attribute: its colours come from the stylesheet). Hidden from screen readers: the title says
 * it in words.
 */
function renderMark(mark: ResultMark) {
  const sign = {
    tick: svg`<circle class="ground" cx="32" cy="32" r="32"></circle>
      <path class="sign" d="M17 33 L27 43 L47 22"></path>`,
    cross: svg`<circle class="ground" cx="32" cy="32" r="32"></circle>
      <path class="sign" d="M21 21 L43 43 M43 21 L21 43"></path>`,
    warning: svg`<path class="ground" d="M32 3 Q35 3 36.6 5.8 L62.4 54 Q64 57 60.6 59 L3.4 59 Q0 57 1.6 54 L27.4 5.8 Q29 3 32 3 Z"></path>
      <path class="sign" d="M32 22 L32 38"></path>
      <circle class="dot" cx="32" cy="48.5" r="4"></circle>`,
  }[mark];
  return html`<svg
    class="mark"
    data-mark=${mark}
    viewBox="0 0 64 64"
    aria-hidden="true"
    focusable="false"
  >
    ${sign}
  </svg>`;
}

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

  /** The outcome's mark (tick, cross, warning), reflected for styling. */
  @property({ reflect: true }) mark = '';

  override willUpdate(): void {
    this.kind = this.outcome?.kind ?? '';
    this.mark = this.outcome === undefined ? '' : MARK_OF[this.outcome.kind];
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
      // Advice that fits the login: a second factor denied means someone typed the password.
      denied: [
        m.deniedTitle,
        outcome.secondFactor === true ? m.deniedNextSecondFactor : m.deniedNext,
      ],
      expired: [m.expiredTitle, m.expiredNext],
      handled: [m.handledTitle, m.handledNext],
      'not-linked': [m.notLinkedTitle, m.notLinkedNext],
      unlinked: [m.unlinkedTitle, m.unlinkedNext],
      offline: [m.offlineTitle, m.offlineNext],
      error: [m.errorTitle, m.errorNext],
      'link-failed': [m.linkFailedTitle, m.linkFailedNext],
      'link-used': [m.linkUsedTitle, m.linkUsedNext],
      'link-not-confirmed': [m.linkNotConfirmedTitle, m.linkNotConfirmedNext],
      'not-verified': [m.notVerifiedTitle, m.notVerifiedNext],
    }[outcome.kind];
    // After a stolen link code the next step is on the website (say No, link anew), not a scan.
    const canRetry = !['accepted', 'denied', 'link-used'].includes(outcome.kind);
    return html`
      ${renderMark(MARK_OF[outcome.kind])}
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
