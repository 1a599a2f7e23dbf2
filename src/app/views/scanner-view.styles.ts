import { css } from 'lit';

export const scannerStyles = css`
  .camera {
    position: relative;
    background: #000;
    border-radius: 0.75rem;
    overflow: hidden;
    min-height: 12rem;
  }
  :host([camera-state='failed']) .camera {
    display: none;
  }
  video {
    display: block;
    width: 100%;
    height: auto;
  }
  .viewfinder {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    pointer-events: none;
  }
  .frame {
    width: var(--frame-width, 70%);
    height: var(--frame-height, 70%);
    border: 3px solid #ffffff;
    border-radius: 0.5rem;
    box-shadow: 0 0 0 100vmax rgb(0 0 0 / 35%);
  }
  .overlay {
    position: absolute;
    inset: auto 0 0;
    padding: 0.75rem;
    color: #ffffff;
    background: rgb(0 0 0 / 60%);
  }
  .controls {
    display: flex;
    gap: 0.75rem;
  }
  .controls:empty {
    display: none;
  }
  select,
  input[type='text'] {
    font: inherit;
    min-height: 3rem;
    padding: 0.5rem;
    border-radius: 0.5rem;
    border: 1px solid #6b7685;
    width: 100%;
  }
  .fallbacks,
  form {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  .fallbacks h2 {
    font-size: 1rem;
  }
  .hint {
    color: #4a5563;
  }
  .error button {
    margin-top: 0.5rem;
  }
`;
