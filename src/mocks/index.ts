// MSW handlers that users import from 'otp-login-qr/mocks' to test their integration without a
// server: the website contract (for <otp-login-qr>) and the Token Server's mobile API (for the SDK).
export {};
export * from './website-handlers.js';
export * from './mobile-api-handlers.js';
export * from './fake-passkey-authenticator.js';
