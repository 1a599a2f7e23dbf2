import { css } from 'lit';

export const resultStyles = css`
  .mark {
    width: 4rem;
    height: 4rem;
    border-radius: 50%;
    margin-top: 1rem;
    background: #a4262c;
  }
  :host([kind='accepted']) .mark {
    background: #1e6b30;
  }
  :host([kind='expired']) .mark,
  :host([kind='offline']) .mark,
  :host([kind='handled']) .mark,
  :host([kind='link-not-confirmed']) .mark {
    background: #8a4b00;
  }
  h1:focus {
    outline: none;
  }
  .detail {
    font-size: 0.875rem;
    color: #4a5563;
    overflow-wrap: anywhere;
  }
`;
