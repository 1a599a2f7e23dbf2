import { germanLinkMessages, germanMessages } from './languages/de.js';
import { englishLinkMessages, englishMessages } from './languages/en.js';
import { frenchLinkMessages, frenchMessages } from './languages/fr.js';
import { dutchLinkMessages, dutchMessages } from './languages/nl.js';
import type { WidgetMessages } from './messages.js';
import { renderSpeakersAgain } from './page-language.js';

/** A language's words for logging in, and for linking a phone (the link overlay laid over them). */
interface Language {
  readonly login: WidgetMessages;
  readonly link: WidgetMessages;
}

/** By lower-case BCP 47 tag: `en`, `nl`, `pt-br` … */
const languages = new Map<string, Language>();

/** A primary language subtag, then any subtags: `es`, `pt-BR`, `zh-Hant-TW`. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

function store(tag: string, messages: WidgetMessages, linkMessages: Partial<WidgetMessages>) {
  languages.set(tag.toLowerCase(), { login: messages, link: { ...messages, ...linkMessages } });
}

store('en', englishMessages, englishLinkMessages);
store('nl', dutchMessages, dutchLinkMessages);
store('de', germanMessages, germanLinkMessages);
store('fr', frenchMessages, frenchLinkMessages);

/**
 * What is wrong with a catalogue, measured against the English one: keys it lacks (unless
 * `partial`), values of the wrong kind (a string where a function belongs or back), and keys that
 * are no message (a misspelling).
 */
function faultsOf(catalogue: unknown, name: string, partial: boolean): string[] {
  if (typeof catalogue !== 'object' || catalogue === null) return [`${name} must be an object`];
  const given = catalogue as Record<string, unknown>;
  const reference: Record<string, unknown> = { ...englishMessages };
  const faults: string[] = [];
  const lacking = Object.keys(reference).filter((key) => !Object.hasOwn(given, key));
  if (lacking.length > 0 && !partial) faults.push(`${name} lacks ${lacking.join(', ')}`);
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(reference, key)) faults.push(`${name}.${key} is not a message`);
    else if (typeof value !== typeof reference[key])
      faults.push(`${name}.${key} must be a ${typeof reference[key]}`);
  }
  return faults;
}

/**
 * Teaches every `<otp-login-qr>` a language, or rewords one it speaks: `tag` is a BCP 47 tag
 * (`es`, `pt-BR`), `messages` every sentence of {@link WidgetMessages}, `linkMessages` those that
 * differ when the code links a phone (`purpose="link"`). Connected elements speak it at once.
 *
 * @throws {TypeError} when `tag` is no language tag, or a catalogue lacks a sentence, has one of
 *   the wrong kind (a string where a function belongs), or has a key that is no sentence.
 */
export function registerLanguage(
  tag: string,
  messages: WidgetMessages,
  linkMessages: Partial<WidgetMessages> = {},
): void {
  // Checked at run time too: a page without TypeScript gets the same complaints, as an error.
  if (typeof tag !== 'string' || !LANGUAGE_TAG.test(tag))
    throw new TypeError(
      `registerLanguage: ${JSON.stringify(tag)} is not a language tag such as 'es' or 'pt-BR'`,
    );
  const faults = [
    ...faultsOf(messages, 'messages', false),
    ...faultsOf(linkMessages, 'linkMessages', true),
  ];
  if (faults.length > 0) throw new TypeError(`registerLanguage('${tag}'): ${faults.join('; ')}`);
  store(tag, messages, linkMessages);
  renderSpeakersAgain();
}

/**
 * The words for a `lang` and a purpose (`link` speaks of linking the phone; anything else, of
 * logging in). The most specific language registered wins, as in RFC 4647's lookup: for
 * `de-CH-1996`, `de-ch-1996`, then `de-ch`, then `de`; English when none is.
 */
export function messagesFor(lang: string | null | undefined, purpose?: string): WidgetMessages {
  const language = languageFor(lang);
  return purpose === 'link' ? language.link : language.login;
}

function languageFor(lang: string | null | undefined): Language {
  let tag = (lang ?? '').trim().toLowerCase();
  while (tag) {
    const language = languages.get(tag);
    if (language) return language;
    tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')));
  }
  // Always there: registering may reword English, never take it away.
  return languages.get('en') as Language;
}
