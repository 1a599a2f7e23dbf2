import { css } from 'lit';

/**
 * Adopted stylesheets (no inline styles, so a strict CSP needs no `unsafe-inline`). Every colour
 * has a custom property and a fallback that meets WCAG AA on the fallback background; the QR keeps
 * dark modules on a light quiet zone unless the page says otherwise, because scanners need it.
 * @internal
 */
export const otpLoginQrStyles = css`
  :host {
    display: inline-block;
    box-sizing: border-box;
    color: var(--otp-login-qr-color, #1f2328);
    font: var(--otp-login-qr-font, inherit);
    text-align: center;
  }

  :host([hidden]) {
    display: none;
  }

  [part='base'] {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--otp-login-qr-gap, 0.75rem);
    padding: var(--otp-login-qr-padding, 1rem);
    border-radius: var(--otp-login-qr-radius, 0.5rem);
    background: var(--otp-login-qr-surface, transparent);
  }

  [part='qr'] {
    display: block;
    max-width: 100%;
    height: auto;
    border-radius: var(--otp-login-qr-qr-radius, 0.25rem);
    transition: opacity 200ms ease-in-out;
  }

  /* The shadow root holds one SVG: its rect is the quiet zone (or the placeholder's box), its path
     the modules, its circle the spinner. */
  rect {
    fill: var(--otp-login-qr-background, #fff);
  }

  path {
    fill: var(--otp-login-qr-foreground, #000);
  }

  :host([status='scanned']) [part='qr'],
  :host([status='expired']) [part='qr'],
  :host([status='idle']) [part='qr'] {
    opacity: 0.15;
  }

  .placeholder rect {
    fill: var(--otp-login-qr-placeholder, #f0f1f3);
  }

  circle {
    fill: none;
    stroke: var(--otp-login-qr-muted-color, #4d5561);
    stroke-width: 4;
    stroke-dasharray: 56 20;
    transform-box: fill-box;
    transform-origin: center;
    animation: spin 1s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }

  p {
    margin: 0;
  }

  [part='status'] {
    max-width: 20rem;
    font-weight: 600;
  }

  :host([status='error']) [part='status'],
  :host([status='denied']) [part='status'] {
    color: var(--otp-login-qr-error-color, #b3261e);
  }

  :host([status='accepted']) [part='status'] {
    color: var(--otp-login-qr-success-color, #146c2e);
  }

  [part='countdown'] {
    font-size: 0.875em;
    color: var(--otp-login-qr-muted-color, #4d5561);
    font-variant-numeric: tabular-nums;
  }

  [part='code'] {
    font-size: 2em;
    font-weight: 700;
    letter-spacing: 0.1em;
  }

  [part~='button'] {
    display: inline-block;
    padding: 0.5rem 1rem;
    border: 0;
    border-radius: var(--otp-login-qr-button-radius, 0.375rem);
    background: var(--otp-login-qr-accent, #0b57d0);
    color: var(--otp-login-qr-on-accent, #fff);
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }

  form,
  .answers {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5rem;
  }

  label {
    flex-basis: 100%;
  }

  [part='input'] {
    width: 5.5em;
    padding: 0.25rem;
    border: 1px solid var(--otp-login-qr-muted-color, #4d5561);
    border-radius: var(--otp-login-qr-button-radius, 0.375rem);
    background: none;
    color: inherit;
    font: inherit;
    font-size: 1.5em;
    text-align: center;
  }

  [part~='button']:focus-visible,
  [part='input']:focus-visible {
    outline: 3px solid var(--otp-login-qr-focus-ring, #0b57d0);
    outline-offset: 2px;
  }

  @media (prefers-reduced-motion: reduce) {
    [part='qr'] {
      transition: none;
    }

    circle {
      animation: none;
    }
  }
`;
