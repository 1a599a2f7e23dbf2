import { css } from 'lit';

/*
 * What the two questions share, "Log in to …?" and "Link this phone to …?": the details as a
 * list of label and value, a warning's colour, and the two answers side by side, of the same size
 * and weight, so that saying no is as easy as saying yes.
 */
export const questionStyles = css`
  dl {
    margin: 0;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  dl > div {
    display: flex;
    flex-direction: column;
    padding-bottom: 0.5rem;
    border-bottom: 1px solid #dde3ea;
  }
  dt {
    font-size: 0.875rem;
    color: #4a5563;
  }
  dd {
    margin: 0;
    font-weight: 600;
  }
  .warn {
    color: #8a4b00;
  }
  .hint {
    color: #4a5563;
  }
  .credit {
    display: block;
    font-size: 0.75rem;
    font-weight: 400;
    color: #4a5563;
  }
  .answer {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.75rem;
  }
  .answer button {
    min-height: 3.75rem;
    font-size: 1.125rem;
    color: #ffffff;
  }
  .deny {
    background: #a4262c;
    border-color: #a4262c;
  }
  .accept {
    background: #1e6b30;
    border-color: #1e6b30;
  }
`;
