import { isShowableText } from '../../../protocol/index.js';

/** The longest city or operator name the phone is shown, in characters. */
export const MAX_PLACE_NAME_LENGTH = 100;

/*
 * The rules of src/protocol/display-name.ts for names a phone shows, applied to names from an IP
 * database: the database is data from outside, and an operator's name is whatever someone wrote
 * into a registry. A name with a right-to-left override or a zero-width character could make
 * "KPN" out of anything, so such a name is not shown at all rather than cleaned up.
 * One thing is mended first: registries are full of names typed with two spaces in a row
 * ("Central Bank of  India"), harmless once they are one.
 */

/**
 * `name` (its runs of spaces made one) when the phone may show it, else null; at most
 * `maxLength` characters.
 */
export function shownPlaceName(
  name: string | null,
  maxLength = MAX_PLACE_NAME_LENGTH,
): string | null {
  if (name === null) return null;
  const mended = name.replace(/ {2,}/g, ' ');
  return isShowableText(mended, maxLength) ? mended : null;
}
