import type { LoginRecord } from './login-store.js';

/** Final results stay readable this long after the login expires. */
const KEEP_AFTER_EXPIRY_MS = 60_000;

/** When the store may forget a login: a minute after its code expires. */
export function forgetAtOf(record: LoginRecord): number {
  return record.expiresAt + KEEP_AFTER_EXPIRY_MS;
}
