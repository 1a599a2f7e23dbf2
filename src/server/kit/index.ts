export * from './binding-cookie.js';
export * from './kit-config.js';
export * from './kit-errors.js';
export * from './login-store.js';
export * from './redis-login-store.js';
export * from './otp-login-kit.js';
export * from './phone-link-events.js';
export type { RevokePhone } from './revoke-phone.js';
export * from './relying-party-client.js';
export * from './same-origin.js';
export * from './transaction-waker.js';
export * from './node-adapter.js';
export * from './express-adapter.js';
export * from './hono-adapter.js';
// Shared with the Token Server: what a store fails with, and what makes rate counters (for a
// LoginStore of the website's own).
export * from '../store/store-error.js';
export type { RateCounterOptions, RateCounters } from '../security/rate-counters.js';
