import {
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
} from '@simplewebauthn/server';
import {
  MobileApiRefusal,
  userVerificationChallenge,
  type PasskeyAssertion,
  type UserVerificationPolicy,
} from '../../protocol/index.js';
import type { DevicePasskey, DeviceRecord } from '../store/records.js';
import { reasonOf } from './passkey-failure.js';
import type { PasskeyRelyingParty } from './passkey-relying-party.js';
import { isTransport } from './webauthn-transport.js';

/** What came with an accept, as the answer's route read it. */
export interface AcceptProof {
  readonly transactionId: string;
  /** shownDigest() of the details the phone showed, which the answer signs. */
  readonly shown: string;
  /** The passkey assertion, if the phone sent one. */
  readonly assertion: PasskeyAssertion | undefined;
}

/**
 * User verification on Accept (issue 18): whether an accept of a login whose type has `policy`
 * counts, given the phone's passkey and the assertion it sent. The assertion's challenge is
 * `userVerificationChallenge(transaction id, shown)`, so it accepts that login, with the details
 * the phone showed, and nothing else; the login takes one answer, so it counts once.
 */
export class AcceptVerification {
  constructor(private readonly relyingParty: PasskeyRelyingParty) {}

  /**
   * Checks an accept by `device`: resolves to the passkey with the counter its assertion
   * reported (to be kept), or undefined where the policy asks for none (or a phone without a
   * passkey may tap). Throws `user_verification_required` where an assertion is missing that
   * must be there, and `user_verification_failed` for one that does not verify.
   */
  async check(
    policy: UserVerificationPolicy,
    device: DeviceRecord,
    proof: AcceptProof,
  ): Promise<DevicePasskey | undefined> {
    if (policy === 'none') return undefined;
    const passkey = device.passkey;
    if (proof.assertion === undefined) {
      // `preferred` lets a phone without a passkey tap. One that can verify its user must: a
      // tap would let whoever holds the unlocked phone accept.
      if (policy === 'preferred' && passkey === undefined) return undefined;
      throw new MobileApiRefusal(
        'user_verification_required',
        passkey === undefined
          ? 'This login type asks for a fingerprint or face before an accept counts, and this phone has no passkey: it can only deny.'
          : undefined,
      );
    }
    if (passkey === undefined) {
      throw new MobileApiRefusal('user_verification_failed', 'This phone has no passkey.');
    }
    return this.verify(passkey, proof.assertion, proof);
  }

  private async verify(
    passkey: DevicePasskey,
    assertion: PasskeyAssertion,
    proof: AcceptProof,
  ): Promise<DevicePasskey> {
    if (assertion.id !== passkey.credentialId) {
      throw new MobileApiRefusal(
        'user_verification_failed',
        'The assertion is not of this phone’s passkey.',
      );
    }
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response: toAuthenticationResponseJson(assertion),
        expectedChallenge: await userVerificationChallenge(proof.transactionId, proof.shown),
        expectedOrigin: [...this.relyingParty.origins],
        expectedRPID: [...this.relyingParty.rpIds],
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: passkey.transports.filter(isTransport),
        },
        // The flags UP and UV both: a user present, and verified (fingerprint, face, screen lock).
        requireUserVerification: true,
      });
    } catch (cause) {
      throw new MobileApiRefusal(
        'user_verification_failed',
        `The assertion does not verify${reasonOf(cause)}.`,
        { cause },
      );
    }
    if (!verified.verified) {
      throw new MobileApiRefusal(
        'user_verification_failed',
        'The assertion’s signature does not match this phone’s passkey.',
      );
    }
    return { ...passkey, counter: verified.authenticationInfo.newCounter };
  }
}

/**
 * The protocol's assertion (checked for shape and size) as @simplewebauthn reads it. The
 * client's extension outputs are left out: it reads none of them.
 */
function toAuthenticationResponseJson(assertion: PasskeyAssertion): AuthenticationResponseJSON {
  const { response } = assertion;
  return {
    id: assertion.id,
    rawId: assertion.rawId,
    type: assertion.type,
    response: {
      clientDataJSON: response.clientDataJSON,
      authenticatorData: response.authenticatorData,
      signature: response.signature,
      ...(response.userHandle === undefined ? {} : { userHandle: response.userHandle }),
    },
    ...(assertion.authenticatorAttachment === undefined
      ? {}
      : { authenticatorAttachment: assertion.authenticatorAttachment }),
    clientExtensionResults: {},
  };
}
