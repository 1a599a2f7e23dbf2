import type { Messages } from './messages-en.js';

/** Every text of the scanner app in Dutch; the same keys as {@link messagesEn}. */
export const messagesNl: Messages = {
  appName: 'QR Login',
  loading: 'Bezig met starten…',
  startupFailed: 'De app kan niet starten',
  startupFailedHelp:
    'De instellingen konden niet worden gelezen. Controleer je verbinding en probeer het opnieuw.',
  tryAgain: 'Opnieuw proberen',

  firstRunTitle: 'Inloggen door een code te scannen',
  firstRunIntro:
    'Met deze app log je in op een website door de code te scannen die de website toont. Je hebt geen wachtwoord nodig en je ziet altijd welke login je bevestigt.',
  firstRunStepsTitle: 'Koppel eerst deze telefoon',
  firstRunStep1: 'Log op de website in zoals altijd en kies “Koppel je telefoon”.',
  firstRunStep2: 'Scan de code die de website toont.',
  firstRunPrivacy:
    'De app bewaart een sleutel op deze telefoon die de telefoon nooit verlaat. De camera staat alleen aan terwijl je scant.',
  scanToLink: 'Scan de code om te koppelen',
  pasteLinkInstead: 'Een link plakken',

  homeTitle: 'Je accounts',
  accountAt: (user, site) => `${user} bij ${site}`,
  nameWithUserId: (name, userId) => `${name} (${userId})`,
  linkedOn: (date) => `Gekoppeld op ${date}`,
  answersLogins: 'Beantwoordt logins',
  useForLogins: 'Gebruik dit account voor logins',
  useAccountForLogins: (user, site) => `Gebruik dit account voor logins (${user} bij ${site})`,
  scanToLogIn: 'Scan om in te loggen',
  settingsTitle: 'Instellingen',
  linkAnother: 'Nog een account koppelen',
  unlink: 'Ontkoppelen',
  unlinkAccount: (user, site) => `${user} bij ${site} ontkoppelen`,
  unlinkConfirm: (user, site) =>
    `${user} bij ${site} ontkoppelen? Je kunt het later weer koppelen via de website.`,
  unlinked: (site) => `Deze telefoon is niet meer gekoppeld aan ${site}.`,
  linkedTo: (site) => `Deze telefoon is nu gekoppeld aan ${site}.`,
  linkAwaitsWebsite: (site) =>
    `Bevestig op de koppelpagina van ${site} dat die dezelfde code toont. Tot dan beantwoordt deze telefoon daar geen logins.`,
  linkCanceled: 'Er is niets gekoppeld.',
  cameraLabel: 'Camera',
  cameraDefault: 'Camera aan de achterkant (standaard)',
  cameraUnnamed: (n) => `Camera ${n}`,

  scanLoginTitle: 'Scan de inlogcode',
  scanLinkTitle: 'Scan de code om te koppelen',
  scanHelp: 'Houd de code binnen het kader. De app vindt hem vanzelf.',
  viewfinderLabel: 'Camerabeeld',
  startingCamera: 'De camera start…',
  torchOn: 'Lamp aan',
  torchOff: 'Lamp uit',
  switchCamera: 'Camera',
  cancel: 'Annuleren',
  noCameraOptions: 'Lukt het niet met de camera? Je kunt ook:',
  useImage: 'Een foto van de code gebruiken',
  pasteHint: 'of hier een afbeelding plakken.',
  pasteLinkTitle: 'Een link plakken',
  pasteLink: 'Plak de link van de code',
  pasteLinkHelp:
    'De QR-code van een website bevat een link. Heeft je telefoon die gekopieerd, bijvoorbeeld uit een schermafbeelding? Plak hem dan hier.',
  submitLink: 'Deze link gebruiken',
  noCodeInImage:
    'Er staat geen code in deze afbeelding. Probeer een scherpere foto, of plak de link.',
  imageUnreadable: 'Dit bestand kan niet als afbeelding worden gelezen.',
  cameraDenied:
    'De app mag de camera niet gebruiken. Sta de camera voor deze site toe in de instellingen van je browser en probeer het opnieuw. Of gebruik een foto of plak de link.',
  cameraMissing:
    'Deze telefoon heeft geen camera die de app kan gebruiken. Gebruik een foto van de code of plak de link ervan.',
  cameraBusy:
    'De camera wordt door een andere app gebruikt. Sluit die app en probeer het opnieuw. Of gebruik een foto of plak de link.',
  cameraUnsupported:
    'Deze browser kan hier de camera niet gebruiken. Gebruik een foto van de code of plak de link ervan.',
  cameraFailed:
    'De camera kon niet starten. Probeer het opnieuw, of gebruik een foto of plak de link.',
  badCode: 'Dit is geen code van deze app. Controleer hem en probeer het opnieuw.',

  gettingDetails: 'De gegevens van de login worden opgehaald…',
  linking: 'Deze telefoon wordt gekoppeld…',
  gettingLinkDetails: 'De gegevens van de koppeling worden opgehaald…',
  sendingAnswer: 'Je antwoord wordt verstuurd…',

  confirmTitle: (site) => `Inloggen bij ${site}?`,
  confirmIntro: 'Iemand wil inloggen met jouw account. Was jij dat?',
  siteLabel: 'Website',
  browserLabel: 'Browser (zoals die zichzelf noemt)',
  browserOnOs: (browser, os) => `${browser} op ${os}`,
  unknown: 'Onbekend',
  networkLabel: 'Netwerk',
  sameNetwork: 'Hetzelfde netwerk als deze telefoon',
  otherNetwork: 'Een ander netwerk dan deze telefoon',
  networkUnknown: 'Niet bekend: het kan een ander netwerk zijn dan deze telefoon',
  timeLabel: 'Tijd',
  messageLabel: 'Bericht van de website',
  accountLabel: 'Account',
  placeLabel: 'Plaats (geschat uit het internetadres)',
  farFromPhone: (place, km) => `${place} — ver van deze telefoon (ongeveer ${km} km)`,
  presenceNote:
    'Nadat je op “Ja, inloggen” tikt, toont deze telefoon een code: typ die in de browser die inlogt.',
  fingerprintNote:
    'Nadat je op “Ja, inloggen” tikt, word je gevraagd om je vingerafdruk of gezicht.',
  notVerified: 'Niet geverifieerd: probeer het opnieuw of weiger.',
  cannotVerify:
    'Deze website vraagt om je vingerafdruk of gezicht voordat een login telt, en deze telefoon kan die niet controleren. Je kunt deze login hier alleen weigeren; log in met een telefoon die dat wel kan.',
  numberQuestion: 'Welk getal toont de website?',
  numberRequired: 'Kies het getal dat de website toont, of weiger.',
  denyHint:
    'Probeerde je niet net in te loggen? Weiger dan. Heeft iemand je deze code gestuurd of gevraagd hem te scannen? Weiger: die persoon probeert in je account te komen.',
  accept: 'Ja, inloggen',
  deny: 'Nee, weigeren',

  linkTitle: (account, site) => `Deze telefoon koppelen aan ${account} bij ${site}?`,
  linkIntro:
    'Koppel alleen als je hier zelf om vroeg, op de koppelpagina van de website die nu voor je openstaat.',
  linkBrowserLabel: 'Browser van de koppelpagina (zoals die zichzelf noemt)',
  linkHint:
    'Heeft iemand je deze code gestuurd of gevraagd hem te scannen? Annuleer: die persoon probeert in je account te komen.',
  link: 'Koppelen',

  linkCodeTitle: 'Vergelijk deze code met de koppelpagina',
  linkCodeLabel: 'Code om te vergelijken',
  linkCodeHelp:
    'Controleer dat de koppelpagina dezelfde code toont, en bevestig het daar. Toont die een andere code of geen code? Zeg dat daar: dan wordt deze telefoon niet gekoppeld.',
  passkeyRegistered:
    'Waar een website erom vraagt, controleert deze telefoon je vingerafdruk of gezicht voor een login.',
  passkeyUnavailable:
    'Deze telefoon kan je vingerafdruk of gezicht niet controleren, dus websites die daarom vragen accepteren geen logins van deze telefoon. Bij websites die er niet om vragen kun je er gewoon mee inloggen.',
  passkeyCancelled:
    'Je vingerafdruk of gezicht is niet ingesteld voor dit account, dus websites die daarom vragen accepteren geen logins van deze telefoon. Je kunt het nu opnieuw proberen.',
  passkeyFailed:
    'Je vingerafdruk of gezicht kon niet worden ingesteld voor dit account, dus websites die daarom vragen accepteren geen logins van deze telefoon. Je kunt het nu opnieuw proberen.',
  setUpPasskey: 'Vingerafdruk of gezicht instellen',
  settingUpPasskey: 'Je vingerafdruk of gezicht wordt ingesteld…',

  presenceTitle: 'Typ deze code in de browser',
  presenceCodeLabel: 'Code om te typen',
  presenceHelp: (site) =>
    `Typ deze code in de browser die inlogt, alleen op de eigen website van ${site}: vraagt een pagina waarheen iemand je stuurde erom, stop dan. Lees hem nooit voor en stuur hem aan niemand: niemand van ${site} zal erom vragen.`,

  acceptedTitle: 'Je bent ingelogd',
  acceptedNext: (site) => `Ga terug naar ${site}: de website gaat vanzelf verder.`,
  deniedTitle: 'Login geweigerd',
  deniedNext:
    'Er is niemand ingelogd. Probeerde je niet zelf in te loggen? Dan is er niets gebeurd: je account is veilig.',
  deniedNextSecondFactor:
    'Er is niemand ingelogd. Probeerde je niet zelf in te loggen? Dan kent iemand misschien je wachtwoord: verander het op de website.',
  expiredTitle: 'De code is verlopen',
  expiredNext: 'Vraag de website om een nieuwe code en scan die opnieuw.',
  handledTitle: 'Deze code is al gebruikt',
  handledNext: 'Elke code werkt één keer. Vraag de website om een nieuwe code en scan die opnieuw.',
  notLinkedTitle: 'Deze telefoon is nog niet gekoppeld',
  notLinkedNext: 'Koppel eerst deze telefoon: kies op de website “Koppel je telefoon”.',
  unlinkedTitle: 'Deze telefoon is niet meer gekoppeld',
  unlinkedNext:
    'De website heeft deze telefoon verwijderd, of de koppeling is daar geweigerd. Om ermee in te loggen, koppel hem opnieuw: kies op de website “Koppel je telefoon”.',
  offlineTitle: 'Geen verbinding',
  offlineNext:
    'Voor inloggen is een netwerk nodig. Maak verbinding met internet en scan de code opnieuw.',
  errorTitle: 'Er ging iets mis',
  errorNext: 'Scan de code opnieuw. Lukt het steeds niet? Vraag de website dan om een nieuwe code.',
  linkFailedTitle: 'Deze telefoon kon niet worden gekoppeld',
  linkFailedNext: 'Vraag de website om een nieuwe code “Koppel je telefoon” en scan die opnieuw.',
  linkUsedTitle: 'Een andere telefoon gebruikte deze code',
  linkUsedNext:
    'Er is al een telefoon met deze code gekoppeld: misschien heeft iemand hem gezien. Zeg op de koppelpagina dat de codes niet overeenkomen (Nee), zodat die andere telefoon niet gekoppeld wordt. Koppel daarna opnieuw met een nieuwe code.',
  linkNotConfirmedTitle: 'Bevestig eerst de koppeling op de website',
  linkNotConfirmedNext:
    'Deze telefoon is gekoppeld, maar de website heeft dat nog niet bevestigd. Bevestig op de koppelpagina dat die dezelfde code toont als deze telefoon, en scan daarna de inlogcode opnieuw. Het account blijft op deze telefoon.',
  notVerifiedTitle: 'Niet ingelogd: niet geverifieerd',
  notVerifiedNext:
    'De website accepteerde de controle van je vingerafdruk of gezicht niet, dus er is niemand ingelogd. Scan de code opnieuw. Lukt het steeds niet? Koppel deze telefoon dan opnieuw.',
  details: (text) => `Details: ${text}`,
  done: 'Klaar',
  scanAgain: 'Opnieuw scannen',

  offlineNotice: 'Je bent offline. De app werkt, maar voor inloggen is een netwerk nodig.',
  updateReady: 'Er is een nieuwe versie klaar.',
  reload: 'Opnieuw laden',
  dismiss: 'Later',
};
