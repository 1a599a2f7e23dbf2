import type { OneginiError } from './onegini-error.js';
import type { OtpAuthenticationRequest } from './otp-authentication-request.js';

/**
 * Whatever the app passes to `Onegini.instance.setEventContext()` (or to
 * `acceptAuthenticationRequest(context)`), handed back to the listener: a router, a view, a store.
 * Flutter's plugin passes its `BuildContext` here; the SDK never looks inside it.
 */
export type BuildContext = unknown;

/**
 * The app's side of the SDK's flows, as in Onegini's Flutter plugin. Subclass it and override
 * `openAuthOtp` and `closeAuthOtp`. The plugin's PIN and fingerprint events have no counterpart
 * here (this SDK has no PIN or biometric step), so they are left out; `eventError` maps.
 */
export abstract class OneginiEventListener {
  /**
   * A login request is waiting for the user's answer: show the confirmation screen. Fires exactly
   * once per flow, after the Token Server confirmed the code, with the server's `message`.
   * `request` holds everything else the screen shows (site, browser, network hint, number matching).
   */
  abstract openAuthOtp(
    context: BuildContext,
    message: string,
    request: OtpAuthenticationRequest,
  ): void;

  /**
   * The flow that `openAuthOtp` opened has ended, whatever the outcome (accepted, denied, expired,
   * failed): close the confirmation screen. Fires exactly once per `openAuthOtp`.
   */
  abstract closeAuthOtp(context: BuildContext): void;

  /**
   * Proof of presence: the user accepted, and the Token Server wants the browser that is logging in
   * to type `presenceCode` (six digits) before the website logs it in. Show the code, with the
   * warning never to read it out or send it to anyone: someone who relays a login code needs it.
   * Fires at most once per flow, after the accept was recorded and before `closeAuthOtp`;
   * `mobileAuthWithOtp` then resolves as for any accept. Does nothing unless overridden.
   */
  showPresenceCode(
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a no-op default to override
    _context: BuildContext,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a no-op default to override
    _presenceCode: string,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a no-op default to override
    _request: OtpAuthenticationRequest,
  ): void {
    // Nothing by default: an app written for Onegini's plugin has no screen for it.
  }

  /**
   * A flow failed. Fires once for every rejection of `mobileAuthWithOtp`, `previewEnrollment` or
   * `enrollMobileAuthentication`, just before the promise rejects with the same error. The promise
   * is the place to handle it; this hook is for logging. Does nothing unless overridden.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a no-op default to override
  eventError(_context: BuildContext, _error: OneginiError): void {
    // Nothing by default: the rejected promise already carries the error.
  }
}
