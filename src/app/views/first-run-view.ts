import { html, LitElement } from 'lit';
import { t } from '../i18n/locale.js';
import { screenStyles } from './shared-styles.js';
import { firstRunStyles } from './first-run-view.styles.js';

/**
 * @summary The first screen of a phone with no linked account: what the app does, and how to link.
 * @fires app-first-run-scan - the user wants to link this phone; `detail.manual` to paste the
 * link of the website's code instead of scanning it.
 */
export class FirstRunView extends LitElement {
  static override styles = [screenStyles, firstRunStyles];

  private readonly handleScan = (): void => {
    this.dispatch(false);
  };

  private readonly handlePaste = (): void => {
    this.dispatch(true);
  };

  private dispatch(manual: boolean): void {
    this.dispatchEvent(
      new CustomEvent('app-first-run-scan', { detail: { manual }, bubbles: true, composed: true }),
    );
  }

  override render() {
    const m = t();
    return html`
      <h1>${m.firstRunTitle}</h1>
      <p>${m.firstRunIntro}</p>
      <section aria-labelledby="steps">
        <h2 id="steps">${m.firstRunStepsTitle}</h2>
        <ol>
          <li>${m.firstRunStep1}</li>
          <li>${m.firstRunStep2}</li>
        </ol>
      </section>
      <p class="notice">${m.firstRunPrivacy}</p>
      <div class="actions">
        <button class="primary" @click=${this.handleScan}>${m.scanToLink}</button>
        <button @click=${this.handlePaste}>${m.pasteLinkInstead}</button>
      </div>
    `;
  }
}
