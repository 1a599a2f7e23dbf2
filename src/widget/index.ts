// The element's class and types, without registering the tag: import 'otp-login-qr/define' (or
// call customElements.define yourself) to use <otp-login-qr>. React's and Vue's types for the tag are
// apart, in 'otp-login-qr/react' and 'otp-login-qr/vue'; the controller's pace (polling-tuning.ts)
// is internal.
export * from './events.js';
export * from './language-controller.js';
export * from './language-registry.js';
export * from './languages/de.js';
export * from './languages/en.js';
export * from './languages/fr.js';
export * from './languages/nl.js';
export * from './login-poll-controller.js';
export * from './messages.js';
export * from './otp-login-qr-error.js';
export * from './otp-login-qr-props.js';
export * from './otp-login-qr.js';
export * from './qr-drawing.js';
export * from './safe-url.js';
