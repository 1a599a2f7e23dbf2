import * as v from 'valibot';
import { randomBelow } from './random-below.js';

/*
 * Number matching: the website shows a two-digit code next to the QR, the phone offers it among
 * decoys, and only the right pick accepts. The code and the decoys come from the same range, so
 * that no choice gives itself away (a decoy of 07 beside codes that are never below 10 would).
 */

/** How many numbers the phone offers: the right one and the decoys. */
export const NUMBER_MATCH_CHOICE_COUNT = 3;

/** The smallest and largest code: always two digits without a leading zero. */
const LOWEST = 10;
const HIGHEST = 99;

/** A number as the mobile API carries it: two decimal digits. */
export const MatchNumber = v.pipe(v.string(), v.regex(/^\d{2}$/));

/** The choices of a redeemed number-matching request: distinct numbers, in random order. */
export const MatchNumberChoices = v.pipe(
  v.array(MatchNumber),
  v.length(NUMBER_MATCH_CHOICE_COUNT),
  v.check((choices) => new Set(choices).size === choices.length, 'The choices must differ.'),
);

/** A new code for the website to show, from the CSPRNG: 10 to 99. */
export function randomNumberMatchCode(): string {
  return String(LOWEST + randomBelow(HIGHEST - LOWEST + 1));
}

/** `code` and decoys from the same range, {@link NUMBER_MATCH_CHOICE_COUNT} in all, shuffled. */
export function numberMatchChoices(code: string): string[] {
  const choices = new Set([code]);
  while (choices.size < NUMBER_MATCH_CHOICE_COUNT) choices.add(randomNumberMatchCode());
  const shuffled = [...choices];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = randomBelow(index + 1);
    [shuffled[index], shuffled[other]] = [shuffled[other] as string, shuffled[index] as string];
  }
  return shuffled;
}
