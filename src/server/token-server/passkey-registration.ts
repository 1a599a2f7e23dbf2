import { createHash, randomBytes } from 'node:crypto';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import * as v from 'valibot';
import {
  MobileApiRefusal,
  PasskeyOptionsResponse,
  type PasskeyRegistrationResponse,
  type PasskeyRegisteredResponse,
} from '../../protocol/index.js';
import { sha256Hex } from '../security/hashing.js';
import type { DeviceRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { TokenServerConfig } from './config.js';
import { reasonOf } from './passkey-failure.js';
import type { PasskeyRelyingParty } from './passkey-relying-party.js';
import { isTransport } from './webauthn-transport.js';

/** How long the phone's user has for the passkey prompt (the browser's timeout). */
export const PASSKEY_PROMPT_TIMEOUT_MS = 120_000;
/** How long a registration challenge counts: the prompt, and time to send its answer. */
export const PASSKEY_CHALLENGE_TIME_TO_LIVE_MS = 300_000;

/**
 * A linked phone's passkey (issue 18): the options for `navigator.credentials.create()`, and the
 * registration that comes back, verified with @simplewebauthn/server and kept on the device.
 *
 * The challenge is kept in the store, hashed, for a few minutes, under the device that asked: a
 * registration counts only with a challenge issued to the device that signs it, once, in time.
 * The store is what every Token Server instance shares, so a phone may ask one instance and
 * answer another.
 */
export class PasskeyRegistration {
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      store: Store;
      config: TokenServerConfig;
      relyingParty: PasskeyRelyingParty;
      clock?: () => number;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The options for the phone of `device`, whose app calls from `origin` (the `Origin` header):
   * the passkey belongs to that origin's host. Throws `passkey_registration_failed` for an origin
   * that is not an app origin (or an IP address, where browsers make no passkey).
   */
  async creationOptions(
    device: DeviceRecord,
    origin: string | undefined,
  ): Promise<PasskeyOptionsResponse> {
    const rpId = this.options.relyingParty.rpIdFor(origin);
    if (rpId === undefined) {
      throw new MobileApiRefusal(
        'passkey_registration_failed',
        'Passkeys are made only by the scanner app at one of the Token Server’s app origins, at a domain name.',
      );
    }
    const challengeBytes = new Uint8Array(randomBytes(32));
    // As the options write it (base64url), and as clientDataJSON brings it back.
    const challenge = Buffer.from(challengeBytes).toString('base64url');
    await this.options.store.insertChallenge(
      device.id,
      sha256Hex(challenge),
      this.clock() + PASSKEY_CHALLENGE_TIME_TO_LIVE_MS,
    );
    const account = device.displayName ?? device.userId;
    const options = await generateRegistrationOptions({
      rpName: this.siteName(device.clientId),
      rpID: rpId,
      userID: userHandleOf(device),
      userName: account,
      userDisplayName: account,
      // Bytes: a string would be taken as UTF-8 text and encoded once more.
      challenge: challengeBytes,
      timeout: PASSKEY_PROMPT_TIMEOUT_MS,
      attestationType: 'none',
      // The phone's own authenticator, which checks a fingerprint or face (or the screen lock).
      authenticatorSelection: {
        authenticatorAttachment: 'platform',
        userVerification: 'required',
        residentKey: 'preferred',
      },
      // The passkey it has: an authenticator that holds it says so, rather than make another.
      excludeCredentials:
        device.passkey === undefined
          ? []
          : [
              {
                id: device.passkey.credentialId,
                transports: device.passkey.transports.filter(isTransport),
              },
            ],
    });
    // In the contract's shape (and only that), as the phone's SDK checks it.
    return v.parse(PasskeyOptionsResponse, { options });
  }

  /**
   * Verifies the passkey that the phone of `device` made, and keeps it on the device (replacing
   * one it had). Throws `passkey_registration_failed` for one that does not verify: a challenge
   * not issued to this device, used or expired; another origin or relying party; a user not
   * verified; a bad attestation. Nothing is stored then.
   */
  async register(
    device: DeviceRecord,
    registration: PasskeyRegistrationResponse,
  ): Promise<PasskeyRegisteredResponse> {
    const challenge = challengeOf(registration.response.clientDataJSON);
    const { relyingParty } = this.options;
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response: toRegistrationResponseJson(registration),
        // Which challenge it signs is checked against the store below, once the rest holds.
        expectedChallenge: challenge,
        expectedOrigin: [...relyingParty.origins],
        expectedRPID: [...relyingParty.rpIds],
        requireUserVerification: true,
      });
    } catch (cause) {
      throw registrationFailed(cause);
    }
    if (!verified.verified) throw registrationFailed();
    const now = this.clock();
    if (!(await this.options.store.takeChallenge(device.id, sha256Hex(challenge), now))) {
      throw new MobileApiRefusal(
        'passkey_registration_failed',
        'The registration’s challenge was not issued to this phone, was used already, or expired.',
      );
    }
    const { credential } = verified.registrationInfo;
    const stored = await this.options.store.setDevicePasskey(device.id, {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      registeredAt: now,
    });
    // Revoked since its signature was checked.
    if (!stored) throw new MobileApiRefusal('device_deregistered');
    return { user_verifying: true };
  }

  private siteName(clientId: string): string {
    const client = this.options.config.clients.find((candidate) => candidate.id === clientId);
    return client?.name ?? clientId;
  }
}

/**
 * The WebAuthn user handle of a device's passkey: derived from the device id, so that a phone
 * that registers again replaces its passkey on the authenticator rather than add one, and opaque,
 * so that the phone's passkey list does not hold the website's user id.
 */
function userHandleOf(device: DeviceRecord): Uint8Array<ArrayBuffer> {
  const digest = createHash('sha256').update(`otp-login-qr/passkey-user\n${device.id}`).digest();
  return new Uint8Array(digest.subarray(0, 16));
}

/** The challenge a registration's `clientDataJSON` says it signs; a refusal if it says none. */
function challengeOf(clientDataJson: string): string {
  let clientData: unknown;
  try {
    clientData = JSON.parse(Buffer.from(clientDataJson, 'base64url').toString('utf8'));
  } catch (cause) {
    throw registrationFailed(cause);
  }
  const challenge =
    typeof clientData === 'object' && clientData !== null
      ? (clientData as { challenge?: unknown }).challenge
      : undefined;
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(challenge)) {
    throw registrationFailed();
  }
  return challenge;
}

/**
 * The protocol's registration (checked for shape and size) as @simplewebauthn reads it. The
 * client's extension outputs are left out: it reads none of them, and we ask for none we use.
 */
function toRegistrationResponseJson(
  registration: PasskeyRegistrationResponse,
): RegistrationResponseJSON {
  const { response } = registration;
  return {
    id: registration.id,
    rawId: registration.rawId,
    type: registration.type,
    response: {
      clientDataJSON: response.clientDataJSON,
      attestationObject: response.attestationObject,
      ...(response.transports === undefined
        ? {}
        : { transports: response.transports.filter(isTransport) }),
    },
    ...(registration.authenticatorAttachment === undefined
      ? {}
      : { authenticatorAttachment: registration.authenticatorAttachment }),
    clientExtensionResults: {},
  };
}

function registrationFailed(cause?: unknown): MobileApiRefusal {
  return new MobileApiRefusal(
    'passkey_registration_failed',
    `The passkey registration does not verify${reasonOf(cause)}.`,
    cause === undefined ? {} : { cause },
  );
}
