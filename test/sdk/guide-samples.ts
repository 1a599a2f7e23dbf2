/*
 * The three code samples of Onegini's guide ("Mobile authentication with OTP"), in TypeScript,
 * exactly as docs/sdk.md shows them: each `#region` below is a code block of that page
 * (docs-sdk.node.test.ts checks that they match), and guide-samples.browser.test.ts runs them.
 * Around the regions: the app's own functions that the samples call.
 */
import {
  Onegini,
  OneginiEventListener,
  OneginiOtpAcceptDenyCallback,
  type BuildContext,
  type OneginiError,
} from '../../src/sdk/index.js';

/** What the app's screens did, for the test to see. */
export const screens: { shown: string[]; closed: number; context: BuildContext } = {
  shown: [],
  closed: 0,
  context: undefined,
};

function showConfirmationScreen(buildContext: BuildContext, message: string): void {
  screens.shown.push(message);
  screens.context = buildContext;
}

function closeConfirmationScreen(buildContext: BuildContext): void {
  screens.closed += 1;
  screens.context = buildContext;
}

// The app hands the scanned text to the SDK.
export async function handleScannedCode(data: string): Promise<void> {
  // #region how-to-use
  const isSuccess = await Onegini.instance.userClient
    .mobileAuthWithOtp(data)
    .catch((error: unknown) => {
      const { message } = error as OneginiError;
      console.log('OTP Mobile authentication request failed: ' + message);
    });

  if (isSuccess != null && isSuccess.length > 0) {
    console.log('OTP Mobile authentication request success!');
  }
  // #endregion how-to-use
}

// #region event-listener
export class AppEventListener extends OneginiEventListener {
  override openAuthOtp(buildContext: BuildContext, message: string): void {
    showConfirmationScreen(buildContext, message); // [YOUR CODE HERE]
  }

  override closeAuthOtp(buildContext: BuildContext): void {
    // just close screen or use your code.
    closeConfirmationScreen(buildContext);
  }
}
// #endregion event-listener

// The confirmation screen's buttons.
export async function onAcceptTapped(context: BuildContext): Promise<void> {
  // #region accept
  await new OneginiOtpAcceptDenyCallback().acceptAuthenticationRequest(context);
  // #endregion accept
}

export async function onDenyTapped(): Promise<void> {
  // #region deny
  await new OneginiOtpAcceptDenyCallback().denyAuthenticationRequest();
  // #endregion deny
}
