/*
 * The element's languages: which catalogue a `lang` gets, how a site registers its own language
 * or rewords one (and what it is told when the catalogue is wrong), the built-in catalogues, and
 * the controller as the server renders it (no `document`, no `closest`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LanguageController } from '../../src/widget/language-controller.js';
import { messagesFor, registerLanguage } from '../../src/widget/language-registry.js';
import { germanLinkMessages, germanMessages } from '../../src/widget/languages/de.js';
import { englishLinkMessages, englishMessages } from '../../src/widget/languages/en.js';
import { frenchLinkMessages, frenchMessages } from '../../src/widget/languages/fr.js';
import { dutchLinkMessages, dutchMessages } from '../../src/widget/languages/nl.js';
import type { WidgetMessages } from '../../src/widget/messages.js';

const BUILT_IN = {
  en: { messages: englishMessages, linkMessages: englishLinkMessages },
  nl: { messages: dutchMessages, linkMessages: dutchLinkMessages },
  de: { messages: germanMessages, linkMessages: germanLinkMessages },
  fr: { messages: frenchMessages, linkMessages: frenchLinkMessages },
};

const KEYS = Object.keys(englishMessages);

/** What a site that does not use TypeScript might pass. */
function untyped(value: unknown): WidgetMessages {
  return value as WidgetMessages;
}

/** The message of the TypeError that `register` throws. */
function typeErrorOf(register: () => void): string {
  try {
    register();
  } catch (error) {
    assert.ok(error instanceof TypeError, `threw ${String(error)}, not a TypeError`);
    return error.message;
  }
  assert.fail('registered without complaint');
}

describe('which language a lang gets', () => {
  it('speaks English, Dutch, German and French, whatever the case of the tag', () => {
    assert.equal(messagesFor('en'), englishMessages);
    assert.equal(messagesFor('nl'), dutchMessages);
    assert.equal(messagesFor('DE'), germanMessages);
    assert.equal(messagesFor(' fr '), frenchMessages);
  });

  it('speaks the primary language of a regional tag: de-AT is German, fr-CA French', () => {
    assert.equal(messagesFor('de-AT'), germanMessages);
    assert.equal(messagesFor('fr-CA'), frenchMessages);
    assert.equal(messagesFor('nl-BE'), dutchMessages);
    assert.equal(messagesFor('de-CH-1996'), germanMessages);
  });

  it('falls back to English for a language it does not speak, or none', () => {
    for (const lang of ['es', 'pt-BR', 'x-klingon', '', '   ', null, undefined])
      assert.equal(messagesFor(lang), englishMessages, String(lang));
  });

  it('prefers the exact tag to its primary language', () => {
    const swiss = { ...germanMessages, accepted: 'Sie sind eingeloggt.' };
    registerLanguage('de-CH', swiss);

    assert.equal(messagesFor('de-ch').accepted, 'Sie sind eingeloggt.');
    assert.equal(messagesFor('de-CH-1996').accepted, 'Sie sind eingeloggt.');
    assert.equal(messagesFor('de-AT').accepted, 'Sie sind angemeldet.');
  });

  it('speaks of linking a phone with purpose "link", and of logging in otherwise', () => {
    const linking = messagesFor('de-DE', 'link');
    assert.equal(linking.accepted, 'Ihr Smartphone ist verknüpft.');
    assert.equal(linking.expired, germanMessages.expired);
    assert.equal(messagesFor('fr', 'link').sameCode, 'Oui, associer ce téléphone');
    assert.equal(messagesFor('de', 'login'), germanMessages);
    assert.equal(messagesFor('de', 'anything'), germanMessages);
  });
});

describe('registerLanguage', () => {
  it('teaches the element a language, with its words for linking', () => {
    registerLanguage(
      'es',
      { ...englishMessages, accepted: 'Has iniciado sesión.' },
      { accepted: 'Tu teléfono está vinculado.' },
    );

    assert.equal(messagesFor('es-MX').accepted, 'Has iniciado sesión.');
    assert.equal(messagesFor('es', 'link').accepted, 'Tu teléfono está vinculado.');
  });

  it('rewords a language it already speaks, English included', () => {
    try {
      registerLanguage('nl', { ...dutchMessages, newCode: 'Vraag een nieuwe code aan' });
      registerLanguage('en', { ...englishMessages, accepted: 'Welcome back.' });

      assert.equal(messagesFor('nl-NL').newCode, 'Vraag een nieuwe code aan');
      assert.equal(messagesFor('ja').accepted, 'Welcome back.');
    } finally {
      registerLanguage('nl', dutchMessages, dutchLinkMessages);
      registerLanguage('en', englishMessages, englishLinkMessages);
    }
    assert.equal(messagesFor('nl').newCode, 'Nieuwe code');
  });

  it('refuses what is no language tag, saying what one looks like', () => {
    for (const tag of ['', 'e', 'english', 'de_AT', 'de-', '-de', 'de-AT!', 42, null])
      assert.match(
        typeErrorOf(() => {
          registerLanguage(tag as string, englishMessages);
        }),
        /is not a language tag such as 'es' or 'pt-BR'/,
        String(tag),
      );
  });

  it('names the sentences a catalogue lacks', () => {
    const incomplete = Object.fromEntries(
      Object.entries(englishMessages).filter(([key]) => key !== 'wrongCode' && key !== 'openApp'),
    );

    assert.equal(
      typeErrorOf(() => {
        registerLanguage('it', untyped(incomplete));
      }),
      "registerLanguage('it'): messages lacks openApp, wrongCode",
    );
    assert.equal(messagesFor('it'), englishMessages);
  });

  it('names a sentence of the wrong kind, and a misspelt one', () => {
    const wrong = { ...englishMessages, wrongCode: 'Wrong code.', tryAgian: 'Try again' };

    assert.equal(
      typeErrorOf(() => {
        registerLanguage('it', untyped(wrong));
      }),
      "registerLanguage('it'): messages.wrongCode must be a function; messages.tryAgian is not a message",
    );
  });

  it('checks the link messages too, which may leave any sentence out', () => {
    assert.equal(
      typeErrorOf(() => {
        registerLanguage('it', englishMessages, untyped({ accepted: 1, linked: 'Linked.' }));
      }),
      "registerLanguage('it'): linkMessages.accepted must be a string; linkMessages.linked is not a message",
    );
  });

  it('refuses a catalogue that is no object', () => {
    assert.equal(
      typeErrorOf(() => {
        registerLanguage('it', untyped(null));
      }),
      "registerLanguage('it'): messages must be an object",
    );
  });
});

describe('the built-in languages', () => {
  for (const [tag, { messages, linkMessages }] of Object.entries(BUILT_IN)) {
    it(`${tag}: every sentence, none empty`, () => {
      assert.deepEqual(Object.keys(messages).sort(), [...KEYS].sort());
      for (const [key, value] of Object.entries(messages))
        if (typeof value === 'string') assert.ok(value.trim(), `${tag}.${key} is empty`);
    });

    it(`${tag}: the sentences with a value say it`, () => {
      assert.ok(messages.scannedWithCode('482 193').includes('482 193'));
      assert.ok(messages.refreshesIn('1:05').includes('1:05'));
      assert.ok(messages.expiresIn('0:42').includes('0:42'));
      assert.ok(messages.wrongCode(2).includes('2'));
      // One try left is said in the singular, two in the plural.
      assert.notEqual(messages.wrongCode(1).replace('1', '2'), messages.wrongCode(2));
    });

    it(`${tag}: the link messages are known sentences, of the right kind, none empty`, () => {
      assert.ok(Object.keys(linkMessages).length > 0);
      for (const [key, value] of Object.entries(linkMessages)) {
        assert.ok(KEYS.includes(key), `${tag} link: ${key} is not a message`);
        assert.equal(typeof value, typeof englishMessages[key as keyof WidgetMessages]);
        if (typeof value === 'string') assert.ok(value.trim(), `${tag} link: ${key} is empty`);
      }
    });
  }

  it('link the same sentences in every language', () => {
    const linked = Object.keys(englishLinkMessages).sort();
    for (const [tag, { linkMessages }] of Object.entries(BUILT_IN))
      assert.deepEqual(Object.keys(linkMessages).sort(), linked, tag);
  });
});

describe('LanguageController on the server (@lit-labs/ssr)', () => {
  /** An element as the SSR DOM shim makes it: no `closest`, maybe no attributes at all. */
  function serverElement(attributes?: Record<string, string>) {
    const host = {
      addController: () => undefined,
      removeController: () => undefined,
      requestUpdate: () => undefined,
      updateComplete: Promise.resolve(true),
      ...(attributes && { getAttribute: (name: string) => attributes[name] ?? null }),
    };
    return host as unknown as ConstructorParameters<typeof LanguageController>[0];
  }

  it('is made without a document, and speaks the element’s own lang', () => {
    assert.equal(typeof document, 'undefined');
    const controller = new LanguageController(serverElement({ lang: 'de-AT' }));

    assert.equal(controller.messages(undefined), germanMessages);
    assert.equal(controller.messages('link').accepted, 'Ihr Smartphone ist verknüpft.');
  });

  it('speaks English for an element without a lang, or without attributes', () => {
    assert.equal(new LanguageController(serverElement({})).messages(undefined), englishMessages);
    assert.equal(new LanguageController(serverElement()).messages('login'), englishMessages);
  });
});
