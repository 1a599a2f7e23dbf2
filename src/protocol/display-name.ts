/** The longest name a website may give the account a phone is linked to, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/*
 * No control characters (Cc), and no format characters (Cf): right-to-left overrides and
 * zero-width joiners would let a name read differently from what it is ("moc.knab@" shown as
 * "@bank.com"). Line and paragraph separators likewise.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Whether `text` may be shown on the phone as the account's name: 1 to 64 characters, no
 * control or format characters, and no spaces at either end.
 */
export function isDisplayName(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    text.length > 0 &&
    codePoints(text) <= MAX_DISPLAY_NAME_LENGTH &&
    text.trim() === text &&
    !FORBIDDEN.test(text)
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
