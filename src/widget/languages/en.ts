import type { WidgetMessages } from '../messages.js';

/** English: the fallback for a `lang` the element does not speak, and the reference for the keys. */
export const englishMessages: WidgetMessages = {
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

/**
 * Linking a phone: only the sentences that speak of logging in, laid over the login catalogue
 * (a whole second catalogue would cost the bundle about twice the bytes).
 */
export const englishLinkMessages: Partial<WidgetMessages> = {
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
