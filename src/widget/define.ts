import type { OtpLoginQrEventMap } from './events.js';
import { OtpLoginQr } from './otp-login-qr.js';

/**
 * Registers `<otp-login-qr>`. Importing this module twice, or next to another copy of the
 * element, is harmless: a tag that is already defined is left as it is.
 */
if (!customElements.get('otp-login-qr')) customElements.define('otp-login-qr', OtpLoginQr);

declare global {
  interface HTMLElementTagNameMap {
    'otp-login-qr': OtpLoginQr;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends OtpLoginQrEventMap {}
}

// The one-file bundle (dist/browser/otp-login-qr.js) is built from this module: a page that
// uses it alone imports registerLanguage from it.
export { OtpLoginQr };
export { registerLanguage } from './language-registry.js';
