import { randomInt } from 'node:crypto';

/** How many different six-digit codes there are. */
const SHORT_CODES = 1_000_000;

/**
 * A six-digit code that a user compares or types (a link's comparison code, a login's proof of
 * presence), uniform over 000000–999999 from the CSPRNG: `randomInt` draws without the modulo's
 * bias. Six digits are guessable offline, so such a code is only ever worth a few tries online.
 */
export function randomShortCode(): string {
  return String(randomInt(SHORT_CODES)).padStart(6, '0');
}
