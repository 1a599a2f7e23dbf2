import { randomBytes } from 'node:crypto';

/*
 * The kit's own login ids: 128 bits from the CSPRNG, base64url. They are not the Token Server's
 * transaction ids, which are in the QR: whoever sees the QR cannot poll or confirm the login.
 */

const LOGIN_ID = /^[A-Za-z0-9_-]{22}$/;

export function newLoginId(): string {
  return randomBytes(16).toString('base64url');
}

/** True for text that could be a login id; anything else is refused unread. */
export function isLoginId(id: string): boolean {
  return LOGIN_ID.test(id);
}
