import type { OneginiError } from './onegini-error.js';

/**
 * What came of making this phone's passkey, when it links (`compareCode`'s profile) or on
 * `userClient.registerPasskey`:
 * - `registered`: the phone now verifies its user (fingerprint, face) where a login asks for it;
 * - `unavailable`: the device has no platform authenticator: logins that require a verified user
 *   can only be denied on it (tell the user when linking);
 * - `cancelled`: the user cancelled the system's prompt (or it timed out): offer to try again;
 * - `failed`: the authenticator or the Token Server refused, or the network failed: `error`
 *   says which; offer to try again.
 *
 * The link itself stands in every case.
 */
export type PasskeySetup =
  | { readonly status: 'registered' }
  | { readonly status: 'unavailable' }
  | { readonly status: 'cancelled' | 'failed'; readonly error: OneginiError };

/** Why a phone has no passkey, as {@link PasskeySetup} says it. */
export type PasskeySetupStatus = PasskeySetup['status'];
