import type { StoredPasskey, StoredProfile } from './device-storage.js';
import { OneginiError, oneginiError } from './onegini-error.js';
import { isCancelledCeremony } from './passkey-authenticator.js';
import type { PasskeySetup } from './passkey-setup.js';
import type { StartedApplication } from './sdk-runtime.js';

/**
 * Makes the passkey of `profile`'s device and registers it with the Token Server (two signed
 * calls around the system's prompt: the options, then the new passkey), then keeps its id in the
 * profile. Never rejects: what went wrong is in the result, and the profile is kept unchanged
 * unless the passkey was registered.
 */
export async function setUpPasskey(
  application: StartedApplication,
  profile: StoredProfile,
): Promise<PasskeySetup> {
  const authenticator = application.config.passkeyAuthenticator;
  if (!(await authenticator.isAvailable().catch(() => false))) return { status: 'unavailable' };
  const signer = { privateKey: profile.privateKey, deviceId: profile.deviceId };
  let passkey: StoredPasskey;
  try {
    const { options } = await application.client.passkeyOptions(signer);
    let registration;
    try {
      registration = await authenticator.register(options);
    } catch (cause) {
      return isCancelledCeremony(cause)
        ? {
            status: 'cancelled',
            error: oneginiError('USER_NOT_VERIFIED', 'The user cancelled making the passkey.', {
              cause,
            }),
          }
        : {
            status: 'failed',
            error: oneginiError('GENERAL_ERROR', 'The authenticator made no passkey.', { cause }),
          };
    }
    await application.client.registerPasskey(signer, registration);
    passkey = {
      credentialId: registration.id,
      rpId: options.rp.id,
      transports: [...(registration.response.transports ?? [])],
      registeredAt: Date.now(),
    };
    await application.config.storage.saveProfile({ ...profile, passkey });
  } catch (error) {
    return {
      status: 'failed',
      error:
        error instanceof OneginiError
          ? error
          : oneginiError('GENERAL_ERROR', 'The passkey could not be kept.', { cause: error }),
    };
  }
  return { status: 'registered' };
}
