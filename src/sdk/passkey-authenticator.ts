import type {
  PasskeyAssertion,
  PasskeyOptionsResponse,
  PasskeyRegistrationResponse,
} from '../protocol/index.js';

/** What `navigator.credentials.create()` gets, as the Token Server's `passkeyOptions` sends it. */
export type PasskeyCreationOptions = PasskeyOptionsResponse['options'];

/** What the SDK asks of the authenticator on Accept: one assertion with the user verified. */
export interface PasskeyVerificationRequest {
  /** base64url: `userVerificationChallenge(transactionId, shown)` of the login on screen. */
  readonly challenge: string;
  /** base64url: the passkey this phone registered at linking, the only one allowed. */
  readonly credentialId: string;
  /** The relying party the passkey was made for; the page's own domain when absent. */
  readonly rpId?: string;
  /** The transports the authenticator reported at registration. */
  readonly transports?: readonly string[];
}

/**
 * The device's user-verifying authenticator (a fingerprint, a face, the device's screen lock),
 * as the SDK uses it: a platform passkey made when the phone links, and an assertion with the
 * user verified on every Accept that asks for one. The SDK's model of Onegini's authenticators:
 * one per device, asked for on Accept only.
 *
 * The default, {@link BrowserPasskeyAuthenticator}, is WebAuthn through @simplewebauthn/browser.
 * Pass another in `config.passkeyAuthenticator`: a test double (`FakePasskeyAuthenticator` of
 * `otp-login-qr/mocks`), or a bridge to a native app's passkeys.
 *
 * `register` and `verify` reject when no passkey came of it: with an error named
 * `NotAllowedError` or `AbortError` when the user cancelled (or the prompt timed out, or found
 * no passkey: WebAuthn does not tell these apart), with any other error when it failed.
 */
export interface PasskeyAuthenticator {
  /** Whether this device has a platform authenticator that verifies its user. Never rejects. */
  isAvailable(): Promise<boolean>;
  /** Makes a passkey with the Token Server's options (user verification required). */
  register(options: PasskeyCreationOptions): Promise<PasskeyRegistrationResponse>;
  /** Gets an assertion over `challenge` from the passkey `credentialId`, the user verified. */
  verify(request: PasskeyVerificationRequest): Promise<PasskeyAssertion>;
}

/** Whether an authenticator's rejection means that the user cancelled (or was not verified). */
export function isCancelledCeremony(error: unknown): boolean {
  // A DOMException is an Error in today's engines, but an older WebKit's is not: read its name.
  const name: unknown =
    typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'NotAllowedError' || name === 'AbortError';
}
