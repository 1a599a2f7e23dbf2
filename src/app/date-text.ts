import { currentLanguageTag } from './i18n/locale.js';

/*
 * One way to write a moment, on every screen: the phone's own (its language and region, so an
 * en-GB phone reads "6 Dec 2026, 14:03" and an en-US one "Dec 6, 2026, 2:03 PM"), a medium date
 * and a short time.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** `date` as the app writes a date and time everywhere. */
export function dateTimeText(date: Date): string {
  const tag = currentLanguageTag();
  let format = formats.get(tag);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    formats.set(tag, format);
  }
  return format.format(date);
}
