// `import type {} from 'otp-login-qr/react'`: <otp-login-qr> in React 19's JSX, typed. A module
// of its own, not part of the element's types, because it augments React's: loaded for every
// user of the element, it would fail to compile wherever React's types are not installed.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { OtpLoginQr } from './otp-login-qr.js';
import type {
  OtpLoginQrAttributes,
  OtpLoginQrListeners,
  OtpLoginQrProperties,
} from './otp-login-qr-props.js';

/**
 * React 19 adds a listener for a custom element's event to a prop named `on` + the event's type,
 * as written: `onotp-login-qr-accepted`.
 */
export type OtpLoginQrReactEvents = {
  [Type in keyof OtpLoginQrListeners as `on${Type}`]?: OtpLoginQrListeners[Type];
};

/**
 * The props of `<otp-login-qr>` in React 19: an HTML element's (`id`, `className`, `lang`, `ref`
 * …), the element's settings as properties (`maxRotations`, set on the element once its tag is
 * defined) or as attributes (`max-rotations`, which also server-render), and its events. Not
 * `status`: the element sets it.
 */
export type OtpLoginQrReactProps = DetailedHTMLProps<HTMLAttributes<OtpLoginQr>, OtpLoginQr> &
  OtpLoginQrProperties &
  OtpLoginQrAttributes &
  OtpLoginQrReactEvents;

declare module 'react' {
  // React's own declarations are a namespace; this adds to them.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'otp-login-qr': OtpLoginQrReactProps;
    }
  }
}
