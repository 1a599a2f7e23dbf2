import { css } from 'lit';

/*
 * What every screen shares: a single column for one thumb, the main actions at the bottom within
 * reach, buttons at least 48 px high, and visible focus. Colours meet WCAG AA contrast.
 */
export const screenStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 100%;
    box-sizing: border-box;
    padding: 1rem 1rem calc(1rem + env(safe-area-inset-bottom, 0px));
    gap: 1rem;
    color: var(--app-text, #1b1f24);
    /* Words wrap between words; one longer than a line breaks where it must, as a last resort. */
    overflow-wrap: break-word;
    word-break: normal;
  }
  * {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.5rem;
    line-height: 1.25;
    margin: 0.5rem 0 0;
  }
  /* A title gets focus when its screen opens (for screen readers); no ring for that. */
  h1[tabindex='-1']:focus {
    outline: none;
  }
  h2 {
    font-size: 1.125rem;
    margin: 0;
  }
  p {
    margin: 0;
    line-height: 1.5;
  }
  .actions {
    margin-top: auto;
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    min-height: 3rem;
    padding: 0.75rem 1rem;
    border-radius: 0.75rem;
    border: 2px solid var(--app-primary, #1f4e8c);
    background: var(--app-surface, #ffffff);
    color: var(--app-primary, #1f4e8c);
    cursor: pointer;
    text-align: center;
    width: 100%;
  }
  button.primary,
  .button.primary {
    background: var(--app-primary, #1f4e8c);
    color: #ffffff;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:focus-visible,
  .button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--app-focus, #b35c00);
    outline-offset: 2px;
  }
  .link {
    border: none;
    background: none;
    text-decoration: underline;
    min-height: 3rem;
    padding: 0.5rem;
    width: auto;
    font-weight: 500;
  }
  .notice {
    padding: 0.75rem 1rem;
    border-radius: 0.75rem;
    background: var(--app-notice, #e8f0fb);
    line-height: 1.5;
  }
  .error {
    padding: 0.75rem 1rem;
    border-radius: 0.75rem;
    background: #fdecea;
    color: #8a1c13;
    line-height: 1.5;
  }
  /*
   * A name with wrap points (wrap-points.ts): whole on the next line when it fits there, else
   * wrapped inside, after its "@" or a dot (each .wrap-point is a soft wrap opportunity).
   */
  .name {
    display: inline-block;
    max-width: 100%;
  }
  .wrap-point {
    display: inline-block;
    width: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
