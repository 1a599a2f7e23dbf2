import type { WidgetMessages } from '../messages.js';

/** German, with the formal "Sie" of German banking; the phone is "Smartphone", as there. */
export const germanMessages: WidgetMessages = {
  loading: 'Anmeldecode wird geladen…',
  qrLabel: 'QR-Code zum Anmelden: Scannen Sie ihn mit der App auf Ihrem Smartphone',
  pending: 'Scannen Sie diesen Code mit der App auf Ihrem Smartphone, um sich anzumelden.',
  scanned: 'Code gescannt. Bestätigen Sie auf Ihrem Smartphone.',
  scannedWithCode: (code) =>
    `Code gescannt. Wählen Sie auf Ihrem Smartphone ${code} und bestätigen Sie.`,
  accepted: 'Sie sind angemeldet.',
  denied: 'Die Anmeldung wurde auf Ihrem Smartphone abgelehnt.',
  expired: 'Dieser Code ist abgelaufen.',
  stopped: 'Die Anmeldung per Code ist pausiert.',
  error: 'Ein Fehler ist aufgetreten. Bitte versuchen Sie es erneut.',
  refreshesIn: (time) => `Neuer Code in ${time}`,
  expiresIn: (time) => `Code läuft in ${time} ab`,
  newCode: 'Neuen Code anfordern',
  tryAgain: 'Erneut versuchen',
  openApp: 'App auf diesem Gerät öffnen',
  compareQuestion: 'Zeigt Ihr Smartphone diesen Code an?',
  sameCode: 'Ja, es zeigt diesen Code an',
  otherCode: 'Nein, es zeigt etwas anderes an',
  enterCode: 'Geben Sie den Code ein, den Ihr Smartphone anzeigt.',
  codeLabel: 'Code von Ihrem Smartphone',
  submitCode: 'Bestätigen',
  wrongCode: (tries) =>
    `Dieser Code stimmt nicht mit dem auf Ihrem Smartphone überein. Noch ${tries} ${tries === 1 ? 'Versuch' : 'Versuche'}.`,
  wrongCodes: 'Zu viele falsche Codes: Sie sind nicht angemeldet.',
};

/** German for linking a phone ("verknüpfen", as banks say of a device), laid over the above. */
export const germanLinkMessages: Partial<WidgetMessages> = {
  loading: 'Verknüpfungscode wird geladen…',
  qrLabel:
    'QR-Code zum Verknüpfen Ihres Smartphones: Scannen Sie ihn mit der App auf Ihrem Smartphone',
  pending: 'Scannen Sie diesen Code mit der App auf Ihrem Smartphone, um es zu verknüpfen.',
  accepted: 'Ihr Smartphone ist verknüpft.',
  denied:
    'Es wurde nichts verknüpft. Vielleicht hat ein anderes Smartphone den Code gescannt: Versuchen Sie es erneut, mit Ihrem eigenen Smartphone.',
  stopped: 'Die Verknüpfung per Code ist pausiert.',
  sameCode: 'Ja, dieses Smartphone verknüpfen',
};
