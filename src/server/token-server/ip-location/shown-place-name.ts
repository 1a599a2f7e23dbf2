/** The longest city or operator name the phone is shown, in characters. */
export const MAX_PLACE_NAME_LENGTH = 100;

/*
 * The rules of src/protocol/display-name.ts for names a phone shows, applied to names from an IP
 * database: the database is data from outside, and an operator's name is whatever someone wrote
 * into a registry. A name with a right-to-left override or a zero-width character could make
 * "KPN" out of anything, so such a name is not shown at all rather than cleaned up.
 * One thing is mended first: registries are full of names typed with two spaces in a row
 * ("Central Bank of  India"), harmless once they are one.
 * (display-name.ts keeps its checker private; the two lists below are its lists.)
 */
const FORBIDDEN = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]|(?! )\p{Zs}/u;
const MISLEADING_RUNS = / {2}|\p{M}{5}/u;

/** `name` (its runs of spaces made one) when the phone may show it, else null. */
export function shownPlaceName(name: string | null): string | null {
  if (name === null) return null;
  const mended = name.replace(/ {2,}/g, ' ');
  if (mended === '' || mended.trim() !== mended) return null;
  if (codePoints(mended) > MAX_PLACE_NAME_LENGTH) return null;
  return FORBIDDEN.test(mended) || MISLEADING_RUNS.test(mended) ? null : mended;
}

/** Characters as people count them closer than UTF-16 units do: an emoji counts once. */
function codePoints(text: string): number {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}
