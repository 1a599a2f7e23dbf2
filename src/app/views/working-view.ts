import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { screenStyles } from './shared-styles.js';

/** @summary A wait with a spoken status: linking, fetching the login's details. */
export class WorkingView extends LitElement {
  static override styles = [
    screenStyles,
    css`
      :host {
        justify-content: center;
        align-items: center;
        text-align: center;
      }
      .spinner {
        width: 3rem;
        height: 3rem;
        border: 4px solid #c4ccd6;
        border-top-color: #1f4e8c;
        border-radius: 50%;
        animation: spin 1s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .spinner {
          animation: none;
        }
      }
    `,
  ];

  /** What the app is waiting for. */
  @property() label = '';

  override render() {
    return html`<div class="spinner" aria-hidden="true"></div>
      <p role="status">${this.label}</p>`;
  }
}
