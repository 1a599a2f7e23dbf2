import { messagesEn, type Messages } from './messages-en.js';
import { messagesNl } from './messages-nl.js';

/*
 * Two languages and a phone that names its own: a small lookup instead of @lit/localize's
 * generated modules. The texts are plain TypeScript objects, so a missing Dutch text is a type
 * error, and switching needs no build step.
 */

export type AppLocale = 'en' | 'nl';

const CATALOGUES: Record<AppLocale, Messages> = { en: messagesEn, nl: messagesNl };

/** The first of the phone's languages that the app speaks; English otherwise. */
export function pickLocale(languages: readonly string[]): AppLocale {
  for (const language of languages) {
    const primary = language.toLowerCase().split('-')[0];
    if (primary === 'nl' || primary === 'en') return primary;
  }
  return 'en';
}

let current: AppLocale = pickLocale(phoneLanguages());

/** The texts in the current language. */
export function t(): Messages {
  return CATALOGUES[current];
}

export function currentLocale(): AppLocale {
  return current;
}

/** Switches the language (the app follows the phone; tests switch it by hand). */
export function setLocale(locale: AppLocale): void {
  current = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

function phoneLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}
