/** The longest name a website may give the account a phone is linked to, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** The longest name a phone may give itself when it is linked (the website's device list). */
export const MAX_DEVICE_NAME_LENGTH = 80;

/*
 * What a name must not hold, so that it reads as what it is and stays on its line:
 * - control, format, surrogate, private-use and unassigned characters (\p{C}): right-to-left
 *   overrides and zero-width joiners would let "moc.knab@" show as "@bank.com", and private-use
 *   characters show as whatever a phone's fonts put there (an Apple logo, say);
 * - characters that are invisible by definition (Default_Ignorable_Code_Point: variation
 *   selectors, Hangul fillers, the combining grapheme joiner) and the blank Braille pattern;
 * - line and paragraph separators, and spaces other than the plain one (wide or fixed spaces
 *   push text around).
 */
const FORBIDDEN = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]|(?! )\p{Zs}/u;
/** Two spaces in a row, or marks stacked high enough to draw over the lines around. */
const MISLEADING_RUNS = / {2}|\p{M}{5}/u;

/**
 * Whether `text` may be shown on the phone as the account's name: 1 to 64 characters, no spaces
 * at either end or two in a row, nothing invisible or that could read as something else.
 */
export function isDisplayName(text: unknown): text is string {
  return isShowableName(text, MAX_DISPLAY_NAME_LENGTH);
}

/**
 * Whether `text` may be a linked phone's name, which the website's device list shows: the rule
 * of display names, up to 80 characters.
 */
export function isDeviceName(text: unknown): text is string {
  return isShowableName(text, MAX_DEVICE_NAME_LENGTH);
}

/** The longest credit of IP data a phone shows beside a place, in characters. */
export const MAX_PLACE_CREDIT_LENGTH = 200;

/**
 * Whether `text` may be shown on the phone as a name or a short line from outside (a place, an
 * operator, a data credit): the rule of display names, up to `maxLength` characters.
 */
export function isShowableText(text: unknown, maxLength: number): text is string {
  return isShowableName(text, maxLength);
}

function isShowableName(text: unknown, maxLength: number): text is string {
  return (
    typeof text === 'string' &&
    text.length > 0 &&
    codePoints(text) <= maxLength &&
    text.trim() === text &&
    !FORBIDDEN.test(text) &&
    !MISLEADING_RUNS.test(text)
  );
}

/** Characters as people count them closer than UTF-16 units do: an emoji counts once. */
function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
  }
  return count;
}
