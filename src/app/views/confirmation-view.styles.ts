import { css } from 'lit';

/** The login question's own parts; the rest is questionStyles. */
export const confirmationStyles = css`
  .message {
    font-weight: 400;
    white-space: pre-wrap;
  }
  .numbers {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 0.75rem;
  }
  legend {
    font-weight: 600;
    margin-bottom: 0.5rem;
  }
  .number {
    position: relative;
  }
  .number input {
    position: absolute;
    opacity: 0;
    inset: 0;
    width: 100%;
    height: 100%;
    margin: 0;
  }
  .number span {
    display: grid;
    place-items: center;
    min-height: 3.5rem;
    font-size: 1.5rem;
    font-weight: 700;
    border: 2px solid #1f4e8c;
    border-radius: 0.75rem;
    color: #1f4e8c;
  }
  .number input:checked + span {
    background: #1f4e8c;
    color: #ffffff;
  }
  .number input:focus-visible + span {
    outline: 3px solid #b35c00;
    outline-offset: 2px;
  }
  .presence {
    padding: 0.75rem 1rem;
    border-radius: 0.75rem;
    background: #e8f0fb;
  }
  .answer.deny-only {
    grid-template-columns: 1fr;
  }
`;
