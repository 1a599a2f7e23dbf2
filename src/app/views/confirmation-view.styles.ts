import { css } from 'lit';

export const confirmationStyles = css`
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
    overflow-wrap: anywhere;
  }
  .message {
    font-weight: 400;
    white-space: pre-wrap;
  }
  .warn {
    color: #8a4b00;
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
  .hint {
    color: #4a5563;
  }
  /* Deny and Accept: the same size, the same weight, side by side at the bottom. */
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
