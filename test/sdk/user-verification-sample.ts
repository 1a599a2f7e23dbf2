/*
 * The sample of docs/sdk.md's "User verification (passkeys)", exactly as that page shows it: each
 * `#region` below is a code block there (docs-sdk.node.test.ts checks that they match), and
 * user-verification-sample.browser.test.ts runs them. Around the regions: the app's own
 * functions that the sample calls.
 */
import {
  Onegini,
  OneginiError,
  OneginiEventListener,
  OneginiOtpAcceptDenyCallback,
  type BuildContext,
  type OtpAuthenticationRequest,
} from '../../src/sdk/index.js';
import { SDK_ERRORS } from '../../src/protocol/index.js';

/** What the app told its user, for the test to see. */
export const told: string[] = [];
/** What the confirmation screen offers, for the test to see. */
export const screen: { accept: 'tap' | 'fingerprint' | 'deny only' | undefined } = {
  accept: undefined,
};
/** The "Try again" the app offers after a cancelled passkey, if any. */
export let tryAgain: (() => Promise<unknown>) | undefined;

function tell(text: string): void {
  told.push(text);
}

function offerToTryAgain(action: () => Promise<unknown>): void {
  tryAgain = action;
}

function showConfirmationScreen(
  _context: BuildContext,
  _message: string,
  accept: 'tap' | 'fingerprint' | 'deny only',
): void {
  screen.accept = accept;
}

// The app links the phone with the text of a "Link your phone" code.
export async function linkThisPhone(qrText: string): Promise<void> {
  // #region passkey-at-linking
  const profile = await Onegini.instance.userClient.enrollMobileAuthentication(qrText);
  tell(`Check that the linking page shows ${profile.compareCode}.`);
  if (profile.passkeySetup.status === 'unavailable') {
    tell(
      "This phone can't check your fingerprint or face, so websites that ask for one won't accept logins from it. It can still log you in to websites that don't ask.",
    );
  } else if (profile.passkeySetup.status !== 'registered') {
    // Cancelled or failed: the link stands; the passkey can be made later.
    offerToTryAgain(() => Onegini.instance.userClient.registerPasskey(profile.profileId));
  }
  // #endregion passkey-at-linking
}

// #region user-verification-screen
export class VerifyingEventListener extends OneginiEventListener {
  override openAuthOtp(
    context: BuildContext,
    message: string,
    request: OtpAuthenticationRequest,
  ): void {
    const verifying = request.profile.userVerifying;
    if (request.userVerification === 'required' && !verifying) {
      showConfirmationScreen(context, message, 'deny only'); // "This website asks for a fingerprint or face"
    } else if (request.userVerification !== 'none' && verifying) {
      showConfirmationScreen(context, message, 'fingerprint'); // "You'll be asked for your fingerprint or face"
    } else {
      showConfirmationScreen(context, message, 'tap');
    }
  }

  override closeAuthOtp(): void {
    screen.accept = undefined;
  }
}
// #endregion user-verification-screen

// The confirmation screen's "Yes, log in".
export async function onAcceptTapped(context: BuildContext): Promise<void> {
  // #region accept-with-verification
  try {
    await new OneginiOtpAcceptDenyCallback().acceptAuthenticationRequest(context);
  } catch (error) {
    if (!(error instanceof OneginiError)) throw error;
    if (error.code === SDK_ERRORS.USER_NOT_VERIFIED.code) {
      tell('Not verified: try again or deny.'); // nothing was sent; the request still waits
    } else if (error.code === SDK_ERRORS.AUTHENTICATOR_NOT_REGISTERED.code) {
      tell('This website asks for a fingerprint or face, which this phone cannot give: deny.');
    } else {
      throw error;
    }
  }
  // #endregion accept-with-verification
}
