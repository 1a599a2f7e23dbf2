/*
 * The page's `lang`, followed by every element that speaks through one shared observer: an element
 * speaks the closest `lang`, changes language when an ancestor's changes or when a site registers
 * words for it, and the observer lives only while an element is on the page.
 */
import { expect } from 'chai';
import { html, LitElement } from 'lit';
import { afterEach, beforeEach, describe, it } from '#spec';
import {
  englishMessages,
  germanMessages,
  LanguageController,
  registerLanguage,
} from '../../src/widget/index.js';
import { until } from '../support/until.js';

/** An element that says one sentence in its language, the way <otp-login-qr> says all of its. */
class SpeakingElement extends LitElement {
  private readonly _language = new LanguageController(this);

  override render() {
    return html`${this._language.messages(this.getAttribute('purpose') ?? undefined).accepted}`;
  }
}
customElements.define('speaking-element', SpeakingElement);

/** What the element says, once it has rendered. */
async function said(element: SpeakingElement): Promise<string> {
  await element.updateComplete;
  return element.shadowRoot?.textContent ?? '';
}

/** Waits until the element says `sentence` (it renders again after an observed change). */
async function untilSays(element: SpeakingElement, sentence: string): Promise<void> {
  await until(() => element.shadowRoot?.textContent === sentence, `it says "${sentence}"`);
}

const mounted: Element[] = [];

/** An element in a wrapper with `lang` (none if undefined), on the page. */
function mount(wrapperLang?: string): { element: SpeakingElement; wrapper: HTMLElement } {
  const wrapper = document.createElement('div');
  if (wrapperLang !== undefined) wrapper.lang = wrapperLang;
  const element = new SpeakingElement();
  wrapper.append(element);
  document.body.append(wrapper);
  mounted.push(wrapper);
  return { element, wrapper };
}

/** The observers of `lang` on the page: how many were made, and how many observe now. */
const observers = { made: 0, observing: new Set<MutationObserver>() };
const RealMutationObserver = window.MutationObserver;

class CountedMutationObserver extends RealMutationObserver {
  constructor(callback: MutationCallback) {
    super(callback);
    observers.made++;
  }

  override observe(target: Node, options?: MutationObserverInit): void {
    if (options?.attributeFilter?.includes('lang')) observers.observing.add(this);
    super.observe(target, options);
  }

  override disconnect(): void {
    observers.observing.delete(this);
    super.disconnect();
  }
}

describe('the element’s language', () => {
  let pageLang: string;

  beforeEach(() => {
    pageLang = document.documentElement.lang;
    observers.made = 0;
    window.MutationObserver = CountedMutationObserver;
  });

  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.remove();
    window.MutationObserver = RealMutationObserver;
    document.documentElement.lang = pageLang;
  });

  it('speaks the closest lang: its own, an ancestor’s, the page’s', async () => {
    document.documentElement.lang = 'fr';
    const inPage = mount().element;
    const inGerman = mount('de-AT').element;
    const ownDutch = mount('de').element;
    ownDutch.lang = 'nl';

    expect(await said(inPage)).to.equal('Connexion réussie.');
    expect(await said(inGerman)).to.equal('Sie sind angemeldet.');
    expect(await said(ownDutch)).to.equal('Je bent ingelogd.');
  });

  it('changes language when an ancestor’s lang changes, or the page’s', async () => {
    const { element, wrapper } = mount('en');
    const inPage = mount().element;
    expect(await said(element)).to.equal(englishMessages.accepted);

    wrapper.lang = 'de';
    await untilSays(element, germanMessages.accepted);

    document.documentElement.lang = 'nl';
    await untilSays(inPage, 'Je bent ingelogd.');
    expect(await said(element)).to.equal(germanMessages.accepted);
  });

  it('speaks a language as soon as a site registers it', async () => {
    const { element } = mount('es-ES');
    element.setAttribute('purpose', 'link');
    expect(await said(element)).to.equal('Your phone is linked.');

    registerLanguage(
      'es',
      { ...englishMessages, accepted: 'Has iniciado sesión.' },
      { accepted: 'Tu teléfono está vinculado.' },
    );

    expect(await said(element)).to.equal('Tu teléfono está vinculado.');
  });

  it('shares one observer among all the elements on the page', async () => {
    const elements = [mount('en'), mount('nl'), mount('de'), mount(), mount('fr')];
    await Promise.all(elements.map(({ element }) => said(element)));

    expect(observers.made).to.equal(1);
    expect(observers.observing.size).to.equal(1);
  });

  it('lets the observer go when the last element leaves, and makes one for the next', async () => {
    const first = mount('en');
    const second = mount('nl');
    await said(second.element);
    expect(observers.observing.size).to.equal(1);

    first.wrapper.remove();
    expect(observers.observing.size).to.equal(1);
    second.wrapper.remove();
    expect(observers.observing.size).to.equal(0);

    const { element, wrapper } = mount('en');
    await said(element);
    expect(observers.made).to.equal(2);
    expect(observers.observing.size).to.equal(1);
    // The new observer hears as the first did.
    wrapper.lang = 'fr';
    await untilSays(element, 'Connexion réussie.');
  });
});
