// `import type {} from 'otp-login-qr/vue'`: <otp-login-qr> in Vue templates, typed for vue-tsc and
// Volar through Vue's GlobalComponents, as Vue's guide ("Non-Vue Web Components and TypeScript")
// does it. A module of its own, not part of the element's types, because it augments Vue's:
// loaded for every user of the element, it would fail to compile wherever Vue is not installed.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { OtpLoginQr } from './otp-login-qr.js';
import type { OtpLoginQrListeners, OtpLoginQrProperties } from './otp-login-qr-props.js';

/**
 * `<otp-login-qr>` as Vue's template type checking sees it: the element, with the props it takes
 * (`:max-rotations`, an HTML element's attributes, `class`, `key`, `ref`) and the events it
 * emits (`@otp-login-qr-accepted`). Not `status`: the element sets it.
 */
export type OtpLoginQrVueComponent = new () => OtpLoginQr & {
  /** @deprecated Only for type checking templates: the element has no `$props`. */
  $props: HTMLAttributes & OtpLoginQrProperties & PublicProps;
  /** @deprecated Only for type checking templates: the element has no `$emit`. */
  $emit: EmitFn<OtpLoginQrListeners>;
};

declare module 'vue' {
  interface GlobalComponents {
    'otp-login-qr': OtpLoginQrVueComponent;
  }
}
