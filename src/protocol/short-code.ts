import { randomBelow } from './random-below.js';

/** How many different six-digit codes there are. */
const SHORT_CODES = 1_000_000;

/**
 * A six-digit code that a user compares or types (a link's comparison code, a login's proof of
 * presence), uniform over 000000–999999 from the CSPRNG. Six digits are guessable offline, so
 * such a code is only ever worth a few tries online. The Token Server and the mock draw alike.
 */
export function randomShortCode(): string {
  return String(randomBelow(SHORT_CODES)).padStart(6, '0');
}
