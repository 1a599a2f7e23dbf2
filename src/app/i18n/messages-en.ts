/*
 * Every text the scanner app shows, in English. The Dutch file has the same keys (the type
 * checker holds it to that); texts with a value are functions of it.
 */
export const messagesEn = {
  appName: 'QR Login',
  loading: 'Starting…',
  startupFailed: 'The app cannot start',
  startupFailedHelp: 'It could not read its settings. Check your connection and try again.',
  tryAgain: 'Try again',

  // First run
  firstRunTitle: 'Log in by scanning a code',
  firstRunIntro:
    'With this app you log in to a website by scanning the code it shows. You need no password, and you always see which login you confirm.',
  firstRunStepsTitle: 'Link this phone first',
  firstRunStep1: 'On the website, log in as usual and choose “Link your phone”.',
  firstRunStep2: 'Scan the code the website shows.',
  firstRunPrivacy:
    'The app keeps a key on this phone that never leaves it. The camera is used only while you scan.',
  scanToLink: 'Scan the code to link',
  pasteLinkInstead: 'Paste a link',

  // Home
  homeTitle: 'Your accounts',
  accountAt: (user: string, site: string) => `${user} at ${site}`,
  nameWithUserId: (name: string, userId: string) => `${name} (${userId})`,
  linkedOn: (date: string) => `Linked on ${date}`,
  answersLogins: 'Answers logins',
  useForLogins: 'Use this account for logins',
  useAccountForLogins: (user: string, site: string) =>
    `Use this account for logins (${user} at ${site})`,
  scanToLogIn: 'Scan to log in',
  settingsTitle: 'Settings',
  linkAnother: 'Link another account',
  unlink: 'Unlink',
  unlinkAccount: (user: string, site: string) => `Unlink ${user} at ${site}`,
  unlinkConfirm: (user: string, site: string) =>
    `Unlink ${user} at ${site}? You can link it again from the website.`,
  unlinked: (site: string) => `This phone is no longer linked to ${site}.`,
  linkedTo: (site: string) => `This phone is now linked to ${site}.`,
  linkAwaitsWebsite: (site: string) =>
    `Confirm on the linking page of ${site} that it shows the same code. Until then this phone answers no login there.`,
  linkCanceled: 'Nothing was linked.',
  cameraLabel: 'Camera',
  cameraDefault: 'Back camera (default)',
  cameraUnnamed: (n: number) => `Camera ${n}`,

  // Scanner
  scanLoginTitle: 'Scan the login code',
  scanLinkTitle: 'Scan the code to link',
  scanHelp: 'Hold the code inside the frame. The app finds it by itself.',
  viewfinderLabel: 'Camera view',
  startingCamera: 'Starting the camera…',
  torchOn: 'Light on',
  torchOff: 'Light off',
  switchCamera: 'Camera',
  cancel: 'Cancel',
  noCameraOptions: 'No luck with the camera? You can also:',
  useImage: 'Use a picture of the code',
  pasteHint: 'or paste a picture here.',
  pasteLinkTitle: 'Paste a link',
  pasteLink: 'Paste the link of the code',
  pasteLinkHelp:
    'A website’s QR code holds a link. If your phone copied it, from a screenshot for example, paste it here.',
  submitLink: 'Use this link',
  noCodeInImage: 'No code was found in this picture. Try a sharper picture, or paste the link.',
  imageUnreadable: 'This file cannot be read as a picture.',
  cameraDenied:
    'The app may not use the camera. Allow the camera for this site in your browser’s settings, then try again. Or use a picture or paste the link.',
  cameraMissing:
    'This phone has no camera the app can use. Use a picture of the code or paste its link instead.',
  cameraBusy:
    'The camera is in use by another app. Close that app, then try again. Or use a picture or paste the link.',
  cameraUnsupported:
    'This browser cannot use the camera here. Use a picture of the code or paste its link instead.',
  cameraFailed: 'The camera could not start. Try again, or use a picture or paste the link.',
  badCode: 'This is not a code of this app. Check it and try again.',

  // Working
  gettingDetails: 'Getting the login details…',
  linking: 'Linking this phone…',
  gettingLinkDetails: 'Getting the details of the link…',
  sendingAnswer: 'Sending your answer…',

  // Confirmation
  confirmTitle: (site: string) => `Log in to ${site}?`,
  confirmIntro: 'Someone wants to log in with your account. Was it you?',
  siteLabel: 'Website',
  browserLabel: 'Browser (as it calls itself)',
  browserOnOs: (browser: string, os: string) => `${browser} on ${os}`,
  unknown: 'Unknown',
  networkLabel: 'Network',
  sameNetwork: 'The same network as this phone',
  otherNetwork: 'Another network than this phone',
  networkUnknown: 'Not known: it may be another network than this phone',
  timeLabel: 'Time',
  messageLabel: 'Message from the website',
  accountLabel: 'Account',
  placeLabel: 'Place (a guess from its internet address)',
  farFromPhone: (place: string, km: number) => `${place} — far from this phone (about ${km} km)`,
  presenceNote:
    'After you tap “Yes, log in”, this phone shows a code: type it in the browser that is logging in.',
  fingerprintNote: 'After you tap “Yes, log in”, you’ll be asked for your fingerprint or face.',
  notVerified: 'Not verified: try again or deny.',
  cannotVerify:
    'This website asks for your fingerprint or face before a login counts, and this phone can’t check them. You can only deny this login here; to log in, use a phone that can.',
  numberQuestion: 'Which number does the website show?',
  numberRequired: 'Pick the number the website shows, or deny.',
  denyHint:
    'If you did not just try to log in, deny. If someone sent you this code or asked you to scan it, deny: they are trying to get into your account.',
  accept: 'Yes, log in',
  deny: 'No, deny',

  // Link this phone?
  linkTitle: (account: string, site: string) => `Link this phone to ${account} at ${site}?`,
  linkIntro:
    'Link only if you asked for this yourself, on the linking page of the website that is open in front of you now.',
  linkBrowserLabel: 'Browser of the linking page (as it calls itself)',
  linkHint:
    'If someone sent you this code or asked you to scan it, cancel: they are trying to get into your account.',
  link: 'Link',

  // The compare code
  linkCodeTitle: 'Compare this code with the linking page',
  linkCodeLabel: 'Code to compare',
  linkCodeHelp:
    'Check that the linking page shows the same code, and confirm there. If it shows another code or none, say so there: this phone will not be linked.',
  passkeyRegistered:
    'Where a website asks for it, this phone will check your fingerprint or face before a login.',
  passkeyUnavailable:
    'This phone can’t check your fingerprint or face, so websites that ask for one won’t accept logins from it. It can still log you in to websites that don’t ask.',
  passkeyCancelled:
    'Your fingerprint or face was not set up for this account, so websites that ask for one won’t accept logins from this phone. You can try again now.',
  passkeyFailed:
    'Your fingerprint or face could not be set up for this account, so websites that ask for one won’t accept logins from this phone. You can try again now.',
  setUpPasskey: 'Set up fingerprint or face',
  settingUpPasskey: 'Setting up your fingerprint or face…',

  // The code of proof of presence
  presenceTitle: 'Type this code in the browser',
  presenceCodeLabel: 'Code to type',
  presenceHelp: (site: string) =>
    `Type this code in the browser that is logging in, on ${site}'s own website only: if a page you were sent to asks for it, stop. Never read it out or send it to anyone: nobody from ${site} will ask you for it.`,

  // Result
  acceptedTitle: 'You are logged in',
  acceptedNext: (site: string) => `Go back to ${site}: the website continues by itself.`,
  deniedTitle: 'Login denied',
  deniedNext:
    'Nobody was logged in. If you did not try to log in, nothing happened: your account is safe.',
  deniedNextSecondFactor:
    'Nobody was logged in. If you did not try to log in, someone may know your password: change it on the website.',
  expiredTitle: 'The code expired',
  expiredNext: 'Ask the website for a new code and scan it again.',
  handledTitle: 'This code was used already',
  handledNext: 'Each code works once. Ask the website for a new code and scan it again.',
  notLinkedTitle: 'This phone is not linked yet',
  notLinkedNext: 'Link this phone first: on the website, choose “Link your phone”.',
  unlinkedTitle: 'This phone is no longer linked',
  unlinkedNext:
    'The website removed this phone, or its link was refused there. To log in with it, link it again: on the website, choose “Link your phone”.',
  offlineTitle: 'No connection',
  offlineNext: 'A login needs the network. Connect to the internet and scan the code again.',
  errorTitle: 'Something went wrong',
  errorNext: 'Scan the code again. If it keeps failing, ask the website for a new code.',
  linkFailedTitle: 'This phone could not be linked',
  linkFailedNext: 'Ask the website for a new “Link your phone” code and scan it again.',
  linkUsedTitle: 'Another phone used this code',
  linkUsedNext:
    'A phone linked with this code before yours: someone may have seen it. On the linking page, say that the codes do not match (No), so that the other phone is not linked. Then link again with a new code.',
  linkNotConfirmedTitle: 'Confirm the link on the website first',
  linkNotConfirmedNext:
    'This phone is linked, but the website has not confirmed it yet. On the linking page, confirm that it shows the same code as this phone did, then scan the login code again. The account stays on this phone.',
  notVerifiedTitle: 'Not logged in: not verified',
  notVerifiedNext:
    'The website did not accept the fingerprint or face check from this phone, so nobody was logged in. Scan the code again. If it keeps failing, link this phone again.',
  details: (text: string) => `Details: ${text}`,
  done: 'Done',
  scanAgain: 'Scan again',

  // Shell
  offlineNotice: 'You are offline. The app opens, but a login needs the network.',
  updateReady: 'A new version is ready.',
  reload: 'Reload',
  dismiss: 'Later',
};

export type Messages = typeof messagesEn;
