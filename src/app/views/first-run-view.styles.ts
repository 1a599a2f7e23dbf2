import { css } from 'lit';

export const firstRunStyles = css`
  ol {
    margin: 0.5rem 0 0;
    padding-left: 1.5rem;
    line-height: 1.5;
  }
  li + li {
    margin-top: 0.5rem;
  }
`;
