import type { WidgetMessages } from '../messages.js';

/** Dutch, with the informal "je" that Dutch apps and banks use. */
export const dutchMessages: WidgetMessages = {
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

/** Dutch for linking a phone, laid over {@link dutchMessages}. */
export const dutchLinkMessages: Partial<WidgetMessages> = {
  loading: 'Koppelcode ophalen…',
  qrLabel: 'QR-code om te koppelen: scan hem met de app op je telefoon',
  pending: 'Scan deze code met de app op je telefoon om hem te koppelen.',
  accepted: 'Je telefoon is gekoppeld.',
  denied:
    'Er is niets gekoppeld. Misschien heeft een andere telefoon de code gescand: probeer het opnieuw, met je eigen telefoon.',
  stopped: 'Koppelen met een code is gepauzeerd.',
  sameCode: 'Ja, koppel deze telefoon',
};
