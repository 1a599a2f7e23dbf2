/**
 * Text as a person reads it off the screen: whitespace collapsed, and without the invisible
 * direction isolates that the app puts around each name in a sentence (src/app/i18n/locale.ts).
 */
export function asRead(text: string): string {
  return text.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ');
}
