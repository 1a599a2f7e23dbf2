/**
 * What the element says, in each language it speaks. A catalogue per language, picked per element
 * from the closest `lang` (the element's own, an ancestor's, or the page's), so that two elements
 * on one page may speak two languages. @lit/localize keeps one locale per page and loads it
 * asynchronously; for a dozen strings a typed table is smaller and needs no build step.
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

const en: WidgetMessages = {
  loading: 'Getting a login code…',
  qrLabel: 'QR code to log in: scan it with the app on your phone',
  pending: 'Scan this code with the app on your phone to log in.',
  scanned: 'Code scanned. Confirm on your phone.',
  scannedWithCode: (code) => `Code scanned. On your phone, pick ${code} and confirm.`,
  accepted: 'You are logged in.',
  denied: 'The login was refused on your phone.',
  expired: 'This code has expired.',
  stopped: 'Logging in with a code is paused.',
  error: 'Something went wrong. Please try again.',
  refreshesIn: (time) => `New code in ${time}`,
  expiresIn: (time) => `Code expires in ${time}`,
  newCode: 'Get a new code',
  tryAgain: 'Try again',
  openApp: 'Open the app on this device',
  compareQuestion: 'Does your phone show this code?',
  sameCode: 'Yes, it shows this code',
  otherCode: 'No, it shows something else',
  enterCode: 'Type the code your phone shows.',
  codeLabel: 'Code from your phone',
  submitCode: 'Confirm',
  wrongCode: (tries) =>
    `That code is not the one on your phone. ${tries} ${tries === 1 ? 'try' : 'tries'} left.`,
  wrongCodes: 'Too many wrong codes: you are not logged in.',
};

// Linking a phone: only the sentences that speak of logging in, laid over the login catalogue
// (a whole second catalogue would cost the bundle about twice the bytes).
const enLink: Partial<WidgetMessages> = {
  loading: 'Getting a linking code…',
  qrLabel: 'QR code to link your phone: scan it with the app on your phone',
  pending: 'Scan this code with the app on your phone to link it.',
  accepted: 'Your phone is linked.',
  // Refused on the phone, or the codes differed: then another phone scanned this one's code.
  denied:
    'Nothing was linked. Another phone may have scanned the code: try again, with your own phone.',
  stopped: 'Linking with a code is paused.',
  sameCode: 'Yes, link this phone',
};

const nl: WidgetMessages = {
  loading: 'Inlogcode ophalen…',
  qrLabel: 'QR-code om in te loggen: scan hem met de app op je telefoon',
  pending: 'Scan deze code met de app op je telefoon om in te loggen.',
  scanned: 'Code gescand. Bevestig op je telefoon.',
  scannedWithCode: (code) => `Code gescand. Kies ${code} op je telefoon en bevestig.`,
  accepted: 'Je bent ingelogd.',
  denied: 'Het inloggen is op je telefoon geweigerd.',
  expired: 'Deze code is verlopen.',
  stopped: 'Inloggen met een code is gepauzeerd.',
  error: 'Er ging iets mis. Probeer het opnieuw.',
  refreshesIn: (time) => `Nieuwe code over ${time}`,
  expiresIn: (time) => `Code verloopt over ${time}`,
  newCode: 'Nieuwe code',
  tryAgain: 'Opnieuw proberen',
  openApp: 'Open de app op dit apparaat',
  compareQuestion: 'Toont je telefoon deze code?',
  sameCode: 'Ja, dezelfde code',
  otherCode: 'Nee, hij toont iets anders',
  enterCode: 'Typ de code die je telefoon toont.',
  codeLabel: 'Code van je telefoon',
  submitCode: 'Bevestigen',
  wrongCode: (tries) =>
    `Dat is niet de code op je telefoon. Nog ${tries} ${tries === 1 ? 'poging' : 'pogingen'}.`,
  wrongCodes: 'Te vaak een verkeerde code: je bent niet ingelogd.',
};

// Dutch for linking, laid over `nl` in the same way.
const nlLink: Partial<WidgetMessages> = {
  loading: 'Koppelcode ophalen…',
  qrLabel: 'QR-code om te koppelen: scan hem met de app op je telefoon',
  pending: 'Scan deze code met de app op je telefoon om hem te koppelen.',
  accepted: 'Je telefoon is gekoppeld.',
  denied:
    'Er is niets gekoppeld. Misschien heeft een andere telefoon de code gescand: probeer het opnieuw, met je eigen telefoon.',
  stopped: 'Koppelen met een code is gepauzeerd.',
  sameCode: 'Ja, koppel deze telefoon',
};

/** The languages the element speaks; the first is the fallback. */
export const WIDGET_LOCALES = { en, nl } as const;

export type WidgetLocale = keyof typeof WIDGET_LOCALES;

/**
 * What a code is for: logging in, or linking a phone to the account the user is logged in to.
 * Only the wording differs.
 */
export type WidgetPurpose = 'login' | 'link';

/** The sentences that differ when a code links a phone, per language. */
export const WIDGET_LINK_MESSAGES = { en: enLink, nl: nlLink } as const;

/**
 * The catalogue for a BCP 47 tag (`nl-BE` → Dutch; English for anything else) and a purpose
 * (`link` speaks of linking the phone; anything else, of logging in).
 */
export function messagesFor(lang: string | null | undefined, purpose?: string): WidgetMessages {
  const dutch = (lang ?? '').trim().toLowerCase().split('-')[0] === 'nl';
  const base = dutch ? nl : en;
  return purpose === 'link' ? { ...base, ...(dutch ? nlLink : enLink) } : base;
}

/** A six-digit code in two groups, `482 193`, the way people read and compare it. */
export function groupDigits(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}

/** `m:ss`, the way a countdown is read. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
