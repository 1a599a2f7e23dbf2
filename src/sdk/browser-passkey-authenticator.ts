import * as v from 'valibot';
import {
  PasskeyAssertion,
  PasskeyRegistrationResponse,
  type PasskeyRegistrationResponse as PasskeyRegistrationResponseType,
  type PasskeyAssertion as PasskeyAssertionType,
} from '../protocol/index.js';
import type {
  PasskeyAuthenticator,
  PasskeyCreationOptions,
  PasskeyVerificationRequest,
} from './passkey-authenticator.js';

/** How long the availability check may take before the SDK counts the device as without one. */
const AVAILABILITY_TIMEOUT_MS = 5_000;
/** How long the system prompt of an Accept waits for the user; a login lives about a minute. */
const VERIFY_TIMEOUT_MS = 60_000;

/**
 * The device's platform authenticator through WebAuthn (@simplewebauthn/browser's
 * `startRegistration` and `startAuthentication`, loaded on first use so that a phone that never
 * verifies its user never downloads them). Needs a secure context (https, or localhost) whose
 * domain is the passkeys' relying party: the app's origin, as the Token Server's `appOrigins`.
 */
export class BrowserPasskeyAuthenticator implements PasskeyAuthenticator {
  async isAvailable(): Promise<boolean> {
    const credential = globalThis.PublicKeyCredential as typeof PublicKeyCredential | undefined;
    if (typeof credential?.isUserVerifyingPlatformAuthenticatorAvailable !== 'function') {
      return false;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, AVAILABILITY_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        credential.isUserVerifyingPlatformAuthenticatorAvailable(),
        timedOut,
      ]);
    } catch {
      // A browser that refuses to say (a sandboxed frame, a permissions policy) has none for us.
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async register(options: PasskeyCreationOptions): Promise<PasskeyRegistrationResponseType> {
    const { startRegistration } = await import('@simplewebauthn/browser');
    const response = await startRegistration({
      optionsJSON: {
        ...options,
        authenticatorSelection: {
          ...options.authenticatorSelection,
          // Whatever the server's options say: a passkey that verifies its user, on this device.
          authenticatorAttachment: 'platform',
          userVerification: 'required',
        },
        attestation: options.attestation as AttestationConveyancePreference | undefined,
        excludeCredentials: options.excludeCredentials?.map((credential) => ({
          ...credential,
          transports: credential.transports as AuthenticatorTransport[] | undefined,
        })),
      },
    });
    // The wire's shape only: the library adds fields (the public key) the Token Server reads
    // from the attestation itself.
    return v.parse(PasskeyRegistrationResponse, response);
  }

  async verify(request: PasskeyVerificationRequest): Promise<PasskeyAssertionType> {
    const { startAuthentication } = await import('@simplewebauthn/browser');
    const response = await startAuthentication({
      optionsJSON: {
        challenge: request.challenge,
        allowCredentials: [
          {
            id: request.credentialId,
            type: 'public-key',
            ...(request.transports === undefined
              ? {}
              : { transports: request.transports as AuthenticatorTransport[] }),
          },
        ],
        userVerification: 'required',
        timeout: VERIFY_TIMEOUT_MS,
        ...(request.rpId === undefined ? {} : { rpId: request.rpId }),
      },
    });
    return v.parse(PasskeyAssertion, response);
  }
}
