/**
 * What the element says: every sentence, one key each, which a catalogue per language
 * (src/widget/languages/, or a site's own through `registerLanguage`) must all give. A catalogue
 * is picked per element from the closest `lang` (the element's own, an ancestor's, or the page's),
 * so that two elements on one page may speak two languages. @lit/localize keeps one locale per
 * page and loads it asynchronously; for two dozen strings a typed table is smaller and needs no
 * build step.
 */
export interface WidgetMessages {
  readonly loading: string;
  readonly qrLabel: string;
  readonly pending: string;
  readonly scanned: string;
  readonly scannedWithCode: (code: string) => string;
  readonly accepted: string;
  readonly denied: string;
  readonly expired: string;
  readonly stopped: string;
  readonly error: string;
  readonly refreshesIn: (time: string) => string;
  readonly expiresIn: (time: string) => string;
  readonly newCode: string;
  readonly tryAgain: string;
  readonly openApp: string;
  /** `confirm: 'compare_code'`: the question beside the code, and its two equal answers. */
  readonly compareQuestion: string;
  readonly sameCode: string;
  readonly otherCode: string;
  /** `confirm: 'enter_code'`: what to do, the input's label, its button, and a wrong code. */
  readonly enterCode: string;
  readonly codeLabel: string;
  readonly submitCode: string;
  readonly wrongCode: (triesLeft: number) => string;
  /** Denied after the code was typed wrong too often. */
  readonly wrongCodes: string;
}

/**
 * What a code is for: logging in, or linking a phone to the account the user is logged in to.
 * Only the wording differs.
 */
export type WidgetPurpose = 'login' | 'link';

// Picked by the language registry, which holds the catalogues.
export { messagesFor } from './language-registry.js';

/** A six-digit code in two groups, `482 193`, the way people read and compare it. */
export function groupDigits(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}

/** `m:ss`, the way a countdown is read. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
