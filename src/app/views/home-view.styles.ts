import { css } from 'lit';

export const homeStyles = css`
  .accounts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
  .account {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    padding: 0.75rem 1rem;
    border: 1px solid #c4ccd6;
    border-radius: 0.75rem;
  }
  .who {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    /* Shrinks beside the Unlink button; its name wraps at its wrap points. */
    min-width: 0;
  }
  .who span {
    color: #4a5563;
    font-size: 0.9375rem;
  }
  .choose {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 3rem;
  }
  .choose input {
    width: 1.5rem;
    height: 1.5rem;
  }
  .unlink {
    width: auto;
    border-color: #8a1c13;
    color: #8a1c13;
  }
  .settings {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  select {
    font: inherit;
    min-height: 3rem;
    padding: 0.5rem;
    border-radius: 0.5rem;
    border: 1px solid #6b7685;
  }
  .big {
    min-height: 3.75rem;
    font-size: 1.125rem;
  }
`;
