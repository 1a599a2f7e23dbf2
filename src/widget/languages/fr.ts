import type { WidgetMessages } from '../messages.js';

// French typography: a no-break space before `:` and a narrow one before `?`, so that neither
// starts a line on its own.
const NBSP = '\u00a0';
const NNBSP = '\u202f';

/**
 * French, with the "vous" of French banking. "Connexion réussie" rather than "vous êtes
 * connecté", which would give the user a gender.
 */
export const frenchMessages: WidgetMessages = {
  loading: 'Chargement du code de connexion…',
  qrLabel: `QR code de connexion${NBSP}: scannez-le avec l’application sur votre téléphone`,
  pending: 'Scannez ce code avec l’application sur votre téléphone pour vous connecter.',
  scanned: 'Code scanné. Confirmez sur votre téléphone.',
  scannedWithCode: (code) => `Code scanné. Sur votre téléphone, choisissez ${code} et confirmez.`,
  accepted: 'Connexion réussie.',
  denied: 'La connexion a été refusée sur votre téléphone.',
  expired: 'Ce code a expiré.',
  stopped: 'La connexion par code est en pause.',
  error: 'Une erreur est survenue. Veuillez réessayer.',
  refreshesIn: (time) => `Nouveau code dans ${time}`,
  expiresIn: (time) => `Le code expire dans ${time}`,
  newCode: 'Obtenir un nouveau code',
  tryAgain: 'Réessayer',
  openApp: 'Ouvrir l’application sur cet appareil',
  compareQuestion: `Votre téléphone affiche-t-il ce code${NNBSP}?`,
  sameCode: 'Oui, il affiche ce code',
  otherCode: 'Non, il affiche autre chose',
  enterCode: 'Saisissez le code affiché sur votre téléphone.',
  codeLabel: 'Code de votre téléphone',
  submitCode: 'Confirmer',
  // French counts 0 and 1 in the singular.
  wrongCode: (tries) =>
    `Ce code ne correspond pas à celui de votre téléphone. Il vous reste ${tries} ${tries > 1 ? 'essais' : 'essai'}.`,
  wrongCodes: `Trop de codes incorrects${NBSP}: la connexion n’a pas abouti.`,
};

/** French for linking a phone ("associer", as banks say of a device), laid over the above. */
export const frenchLinkMessages: Partial<WidgetMessages> = {
  loading: 'Chargement du code d’association…',
  qrLabel: `QR code pour associer votre téléphone${NBSP}: scannez-le avec l’application sur votre téléphone`,
  pending: 'Scannez ce code avec l’application sur votre téléphone pour l’associer.',
  accepted: 'Votre téléphone est associé.',
  denied: `Rien n’a été associé. Un autre téléphone a peut-être scanné le code${NBSP}: réessayez avec votre propre téléphone.`,
  stopped: 'L’association par code est en pause.',
  sameCode: 'Oui, associer ce téléphone',
};
