import { css, html, LitElement } from 'lit';
import { t } from '../i18n/locale.js';
import { screenStyles } from './shared-styles.js';

/**
 * @summary "A new version is ready: reload", shown when the service worker has a new version
 * waiting.
 * @fires app-update-reload - the user wants the new version now.
 * @fires app-update-dismiss - the user wants it later (the next start picks it up).
 */
export class UpdatePrompt extends LitElement {
  static override styles = [
    screenStyles,
    css`
      :host {
        min-height: 0;
        padding: 0;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.75rem 1rem;
        background: #10294a;
        color: #ffffff;
      }
      p {
        flex: 1 1 12rem;
      }
      button {
        width: auto;
        border-color: #ffffff;
      }
      .later {
        background: transparent;
        color: #ffffff;
      }
    `,
  ];

  private readonly handleReload = (): void => {
    this.dispatchEvent(new CustomEvent('app-update-reload', { bubbles: true, composed: true }));
  };

  private readonly handleDismiss = (): void => {
    this.dispatchEvent(new CustomEvent('app-update-dismiss', { bubbles: true, composed: true }));
  };

  override render() {
    const m = t();
    return html`<div class="bar" role="status">
      <p>${m.updateReady}</p>
      <button class="later" @click=${this.handleDismiss}>${m.dismiss}</button>
      <button @click=${this.handleReload}>${m.reload}</button>
    </div>`;
  }
}
