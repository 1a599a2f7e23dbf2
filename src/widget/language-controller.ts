import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { messagesFor } from './language-registry.js';
import type { WidgetMessages } from './messages.js';
import { followPageLanguage, unfollowPageLanguage } from './page-language.js';

// Lit declares `isServer` as the literal `false`, its value in browsers; in Node it is true.
const onServer: boolean = isServer;

/**
 * Gives an element the words of its language, that of the closest `lang` (its own, an ancestor's,
 * the page's), and renders it again when a `lang` changes or a language is registered.
 *
 * Safe to server-render (@lit-labs/ssr): the constructor touches neither `document` nor any
 * observer, which only a connected element needs; on the server an element speaks the language of
 * its own `lang` attribute, or English.
 */
export class LanguageController implements ReactiveController {
  private readonly _host: ReactiveControllerHost & HTMLElement;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this._host = host;
    host.addController(this);
  }

  hostConnected(): void {
    followPageLanguage(this._host);
  }

  hostDisconnected(): void {
    unfollowPageLanguage(this._host);
  }

  /** The host's words for `purpose` (`link` speaks of linking a phone; anything else, logging in). */
  messages(purpose: string | undefined): WidgetMessages {
    return messagesFor(this._lang(), purpose);
  }

  private _lang(): string | null | undefined {
    // Node has no `document`, and the SSR shim's elements have no `closest` (nor always attributes).
    if (onServer) return (this._host as Partial<HTMLElement>).getAttribute?.('lang');
    return this._host.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  }
}
