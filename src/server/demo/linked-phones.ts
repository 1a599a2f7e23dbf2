import type { LinkedDevice } from '../kit/index.js';

/**
 * A phone that logs in: linked, confirmed on the website (the codes compared), not revoked. A
 * phone whose link was never confirmed answers no login, so it is no second factor either.
 */
export function isActivePhone(device: LinkedDevice): boolean {
  return device.revokedAt === null && device.confirmedAt !== null;
}

/** A phone that used a link code and waits for the website's confirmation. */
export function isPendingPhone(device: LinkedDevice): boolean {
  return device.revokedAt === null && device.confirmedAt === null;
}
