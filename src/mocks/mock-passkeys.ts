import * as v from 'valibot';
import {
  fromBase64Url,
  MobileApiRefusal,
  toBase64Url,
  userVerificationChallenge,
  type PasskeyAssertion,
  type PasskeyOptionsResponse,
  type PasskeyRegistrationResponse,
} from '../protocol/index.js';

/** How long a passkey registration's challenge may be used, as the Token Server's. */
const CHALLENGE_TIME_TO_LIVE_MS = 5 * 60_000;
/** authenticatorData's flags: user present, user verified. */
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
/** The flags byte's offset: after the relying party id's SHA-256. */
const FLAGS_OFFSET = 32;

/** The device a passkey is for, as the mock knows it. */
export interface PasskeyOwner {
  readonly id: string;
  readonly userId: string;
  readonly displayName: string | null;
}

/** A passkey the mock registered. */
interface MockPasskey {
  readonly credentialId: string;
  readonly transports: readonly string[];
}

/** What the mock reads of `clientDataJSON`. */
const ClientData = v.object({ type: v.string(), challenge: v.string() });

/**
 * The mock's passkeys: the options it hands out (a fresh challenge per device, used once), the
 * passkeys devices register, and the check of an accept's assertion.
 *
 * Unlike the Token Server, the mock does not verify the WebAuthn signatures (no attestation,
 * no public key): it checks what the phone's SDK is responsible for. A registration must answer
 * the device's own challenge (`webauthn.create`); an assertion must come from the device's
 * passkey, be over `userVerificationChallenge(transaction, shown)` (`webauthn.get`), and say the
 * user was verified (the UV flag of authenticatorData). So any well-formed assertion with those
 * passes, as from `FakePasskeyAuthenticator`, and a phone that asks for the wrong challenge or
 * passkey is refused as the server would refuse it.
 */
export class MockPasskeys {
  private readonly challenges = new Map<string, { challenge: string; expiresAt: number }>();
  private readonly passkeys = new Map<string, MockPasskey>();

  constructor(private readonly now: () => number) {}

  /** Whether the device registered a passkey. */
  has(deviceId: string): boolean {
    return this.passkeys.has(deviceId);
  }

  /** The creation options for `device`: a platform passkey that verifies its user. */
  options(device: PasskeyOwner, rpId: string, siteName: string): PasskeyOptionsResponse {
    const challenge = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    this.challenges.set(device.id, {
      challenge,
      expiresAt: this.now() + CHALLENGE_TIME_TO_LIVE_MS,
    });
    const name = device.displayName ?? device.userId;
    return {
      options: {
        rp: { id: rpId, name: siteName },
        user: {
          id: toBase64Url(new TextEncoder().encode(device.id)),
          name,
          displayName: name,
        },
        challenge,
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        timeout: CHALLENGE_TIME_TO_LIVE_MS,
        authenticatorSelection: {
          authenticatorAttachment: 'platform',
          residentKey: 'discouraged',
          userVerification: 'required',
        },
        attestation: 'none',
      },
    };
  }

  /**
   * Registers the passkey that answers the device's last challenge, in place of any earlier one;
   * refuses (`refusal`) one that answers no challenge of the device's, or one used or expired.
   */
  register(
    deviceId: string,
    registration: PasskeyRegistrationResponse,
    refusal: () => MobileApiRefusal,
  ): void {
    const issued = this.challenges.get(deviceId);
    const clientData = readClientData(registration.response.clientDataJSON);
    const answers =
      issued !== undefined &&
      this.now() < issued.expiresAt &&
      clientData?.type === 'webauthn.create' &&
      clientData.challenge === issued.challenge &&
      registration.id === registration.rawId;
    if (!answers) throw refusal();
    this.challenges.delete(deviceId);
    this.passkeys.set(deviceId, {
      credentialId: registration.id,
      transports: registration.response.transports ?? [],
    });
  }

  /**
   * Checks an accept's user verification for a login whose policy asks for it: refuses
   * `user_verification_required` when an assertion is missing that the login needs (any under
   * `required`; under `preferred`, one from a device with a passkey), and
   * `user_verification_failed` for one that is not the device's passkey verifying its user
   * over this login's challenge.
   */
  async checkAccept(
    deviceId: string,
    policy: 'required' | 'preferred',
    transactionId: string,
    shown: string,
    assertion: PasskeyAssertion | undefined,
  ): Promise<void> {
    const passkey = this.passkeys.get(deviceId);
    if (assertion === undefined) {
      if (policy === 'required' || passkey !== undefined) {
        throw new MobileApiRefusal('user_verification_required');
      }
      return;
    }
    const clientData = readClientData(assertion.response.clientDataJSON);
    const flags = fromBase64Url(assertion.response.authenticatorData)?.[FLAGS_OFFSET] ?? 0;
    const verifies =
      passkey !== undefined &&
      assertion.id === passkey.credentialId &&
      clientData?.type === 'webauthn.get' &&
      clientData.challenge === (await userVerificationChallenge(transactionId, shown)) &&
      (flags & USER_PRESENT) !== 0 &&
      (flags & USER_VERIFIED) !== 0;
    if (!verifies) throw new MobileApiRefusal('user_verification_failed');
  }
}

function readClientData(text: string): v.InferOutput<typeof ClientData> | undefined {
  const bytes = fromBase64Url(text);
  if (bytes === undefined) return undefined;
  try {
    const parsed = v.safeParse(ClientData, JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
