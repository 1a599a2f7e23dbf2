import { css } from 'lit';

/*
 * A six-digit code the user compares or types: large, in two groups, in tabular figures, so
 * that it reads at arm's length and no digit shifts its neighbours.
 */
export const shortCodeStyles = css`
  .code {
    margin: 0.5rem 0;
    padding: 1rem;
    border: 2px solid #1f4e8c;
    border-radius: 0.75rem;
    text-align: center;
    font-size: 2.75rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
    color: #1b1f24;
    white-space: nowrap;
  }
  .code-label {
    font-size: 0.875rem;
    color: #4a5563;
    text-align: center;
  }
`;
