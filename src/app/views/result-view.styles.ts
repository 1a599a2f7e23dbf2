import { css } from 'lit';

/*
 * The mark above the outcome's title: a tick on green, a cross on red, a warning sign on amber.
 * Its shape says what its colour says, for whoever does not tell the colours apart.
 */
export const resultStyles = css`
  .mark {
    display: block;
    width: 4rem;
    height: 4rem;
    margin-top: 1rem;
  }
  .mark .ground {
    fill: #a4262c;
  }
  :host([mark='tick']) .mark .ground {
    fill: #1e6b30;
  }
  :host([mark='warning']) .mark .ground {
    fill: #8a4b00;
  }
  .mark .sign {
    fill: none;
    stroke: #ffffff;
    stroke-width: 6;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .mark .dot {
    fill: #ffffff;
  }
  h1:focus {
    outline: none;
  }
  .detail {
    font-size: 0.875rem;
    color: #4a5563;
  }
`;
