import { messagesEn, type Messages } from './messages-en.js';
import { messagesNl } from './messages-nl.js';

/*
 * Two languages and a phone that names its own: a small lookup instead of @lit/localize's
 * generated modules. The texts are plain TypeScript objects, so a missing Dutch text is a type
 * error, and switching needs no build step.
 */

export type AppLocale = 'en' | 'nl';

/*
 * Each text a message puts into its sentence (a name, a site, a browser) goes in a Unicode
 * direction isolate, as Fluent does by default: a right-to-left name, or one that ends in digits
 * or punctuation, then cannot pull " at Demo Bank" or the "?" after it out of order. The marks
 * are invisible, and screen readers skip them.
 */
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/** `text` in a direction isolate of its own. */
function isolate(text: string): string {
  return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE;
}

/** The catalogue with every text argument of every message isolated. */
function isolatingArguments(messages: Messages): Messages {
  const entries = Object.entries(messages).map(([key, message]: [string, unknown]) => [
    key,
    typeof message === 'function'
      ? (...values: unknown[]) =>
          (message as (...values: unknown[]) => string)(
            ...values.map((value) => (typeof value === 'string' ? isolate(value) : value)),
          )
      : message,
  ]);
  return Object.fromEntries(entries) as Messages;
}

const CATALOGUES: Record<AppLocale, Messages> = {
  en: isolatingArguments(messagesEn),
  nl: isolatingArguments(messagesNl),
};

/**
 * The first of the phone's languages that the app speaks, as the phone names it (its region
 * kept: `en-GB`, `nl-BE`); `en` otherwise. Dates and times follow this tag, so an English phone
 * in Britain reads "6 Dec 2026", one in the US "Dec 6, 2026".
 */
export function pickLanguageTag(languages: readonly string[]): string {
  for (const language of languages) {
    const primary = primaryOf(language);
    if (primary === 'nl' || primary === 'en') return canonicalTag(language, primary);
  }
  return 'en';
}

/** The first of the phone's languages that the app speaks; English otherwise. */
export function pickLocale(languages: readonly string[]): AppLocale {
  return primaryOf(pickLanguageTag(languages)) === 'nl' ? 'nl' : 'en';
}

let tag = pickLanguageTag(phoneLanguages());
let current: AppLocale = pickLocale([tag]);

/** The texts in the current language. */
export function t(): Messages {
  return CATALOGUES[current];
}

export function currentLocale(): AppLocale {
  return current;
}

/** The phone's language tag the app follows, with its region (`en-GB`): for dates and times. */
export function currentLanguageTag(): string {
  return tag;
}

/**
 * Switches the language (the app follows the phone; tests switch it by hand): `en`, `nl`, or a
 * tag with a region (`en-GB`), which dates and times then follow. The page's `lang` says it.
 */
export function setLocale(locale: string): void {
  tag = pickLanguageTag([locale]);
  current = pickLocale([tag]);
  if (typeof document !== 'undefined') document.documentElement.lang = tag;
}

function primaryOf(language: string): string {
  return language.toLowerCase().split('-')[0] ?? '';
}

/** `en-gb` as `en-GB`; a tag that Intl does not take is its language alone. */
function canonicalTag(language: string, primary: string): string {
  try {
    return Intl.getCanonicalLocales(language)[0] ?? primary;
  } catch {
    return primary;
  }
}

function phoneLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}
