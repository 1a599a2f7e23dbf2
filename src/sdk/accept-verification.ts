import {
  shownDigest,
  userVerificationChallenge,
  type PasskeyAssertion,
} from '../protocol/index.js';
import { oneginiError } from './onegini-error.js';
import type { WaitingRequest } from './otp-flow.js';
import { isCancelledCeremony, type PasskeyAuthenticator } from './passkey-authenticator.js';

/**
 * What an accept of `waiting` sends to show that the phone verified its user: the passkey's
 * assertion over `userVerificationChallenge(transaction, shown)`, or undefined when the login
 * asks for none (`none`; `preferred` on a phone without a passkey).
 *
 * Rejects, before anything is sent, with AUTHENTICATOR_NOT_REGISTERED (10007) when the login
 * requires a verified user and the phone has no passkey, and with USER_NOT_VERIFIED (9030) when
 * the authenticator gave no assertion (the user cancelled, was not recognised, or the passkey is
 * gone).
 */
export async function acceptVerification(
  waiting: WaitingRequest,
  authenticator: PasskeyAuthenticator,
): Promise<PasskeyAssertion | undefined> {
  const policy = waiting.shown.user_verification;
  if (policy === 'none') return undefined;
  const passkey = waiting.passkey;
  if (passkey === undefined) {
    if (policy === 'preferred') return undefined;
    throw oneginiError(
      'AUTHENTICATOR_NOT_REGISTERED',
      'This login requires a fingerprint or face, and this phone has no passkey: it can only deny.',
    );
  }
  const challenge = await userVerificationChallenge(
    waiting.request.transactionId,
    await shownDigest(waiting.shown),
  );
  try {
    return await authenticator.verify({
      challenge,
      credentialId: passkey.credentialId,
      rpId: passkey.rpId,
      transports: passkey.transports,
    });
  } catch (cause) {
    throw oneginiError(
      'USER_NOT_VERIFIED',
      isCancelledCeremony(cause)
        ? 'The user was not verified: the prompt was cancelled, timed out or found no passkey.'
        : 'The authenticator could not verify the user.',
      { cause },
    );
  }
}
