import {
  fromBase64Url,
  toBase64Url,
  type PasskeyAssertion,
  type PasskeyOptionsResponse,
  type PasskeyRegistrationResponse,
} from '../protocol/index.js';
import { concatBytes, encodeCbor, type CborValue } from './cbor-encoding.js';

/**
 * What the user does at the authenticator's next prompts: verifies (a fingerprint that matches),
 * cancels the prompt (`NotAllowedError`, as WebAuthn reports a cancel, a timeout and a failed
 * fingerprint alike), or gets through without being verified (an assertion without the UV flag,
 * which the Token Server refuses as `user_verification_failed`: a broken authenticator).
 */
export type FakeUserAction = 'verify' | 'cancel' | 'not-verified';

export interface FakePasskeyAuthenticatorOptions {
  /** Whether the device has a platform authenticator. Default true. */
  readonly available?: boolean;
  /**
   * The origin written into `clientDataJSON`: the app's, one of the Token Server's `appOrigins`.
   * Default: the page's origin where there is one, else `https://scan.example`.
   */
  readonly origin?: string;
}

/** One prompt the authenticator showed, in order. */
export interface FakePasskeyPrompt {
  readonly kind: 'register' | 'verify';
  /** The challenge it was asked to sign, base64url. */
  readonly challenge: string;
  /** The passkey an assertion was asked of. */
  readonly credentialId?: string;
}

/** What the authenticator keeps of a passkey it made. */
interface FakeCredential {
  readonly privateKey: CryptoKey;
  readonly rpId: string;
  readonly userHandle: string;
  counter: number;
}

/** authenticatorData's flags. */
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
const ATTESTED_CREDENTIAL_DATA = 0x40;
/** COSE: an EC2 key, ES256, on P-256. */
const COSE_KEY_TYPE_EC2 = 2;
const COSE_ALG_ES256 = -7;
const COSE_CURVE_P256 = 1;

/**
 * A software platform authenticator for tests: the SDK's `PasskeyAuthenticator` (pass it as
 * `config.passkeyAuthenticator`), with no system prompt. It makes real passkeys (ECDSA P-256,
 * `none` attestation) and real assertions, signed as WebAuthn signs them, so that the Token
 * Server verifies them as it verifies a phone's (when `origin` is one of its `appOrigins`), and
 * the MSW mock accepts them. Set `userAction` for what the user does at the next prompts, and
 * `forget()` the passkeys to play a phone whose passkey was deleted.
 */
export class FakePasskeyAuthenticator {
  /** Whether the device has a platform authenticator (`isAvailable`). */
  available: boolean;
  /** What the user does at every prompt from now on. Default `verify`. */
  userAction: FakeUserAction = 'verify';
  /** Every prompt, in order. */
  readonly prompts: FakePasskeyPrompt[] = [];
  private readonly origin: string;
  private readonly credentials = new Map<string, FakeCredential>();

  constructor(options: FakePasskeyAuthenticatorOptions = {}) {
    this.available = options.available ?? true;
    this.origin =
      options.origin ??
      (typeof location === 'undefined' ? 'https://scan.example' : location.origin);
  }

  /** The ids of the passkeys it holds, base64url. */
  get credentialIds(): string[] {
    return [...this.credentials.keys()];
  }

  /** Deletes every passkey: later assertions find none (NotAllowedError). */
  forget(): void {
    this.credentials.clear();
  }

  isAvailable(): Promise<boolean> {
    return Promise.resolve(this.available);
  }

  async register(options: PasskeyOptionsResponse['options']): Promise<PasskeyRegistrationResponse> {
    this.prompts.push({ kind: 'register', challenge: options.challenge });
    this.failUnlessAvailable();
    if (this.userAction === 'cancel') throw notAllowed('The user cancelled.');
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const credentialId = crypto.getRandomValues(new Uint8Array(16));
    const id = toBase64Url(credentialId);
    this.credentials.set(id, {
      privateKey: keys.privateKey,
      rpId: options.rp.id,
      userHandle: options.user.id,
      counter: 0,
    });
    const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, COSE_KEY_TYPE_EC2],
        [3, COSE_ALG_ES256],
        [-1, COSE_CURVE_P256],
        [-2, publicKey.slice(1, 33)],
        [-3, publicKey.slice(33, 65)],
      ]),
    );
    const credentialLength = Uint8Array.of(credentialId.length >> 8, credentialId.length & 0xff);
    const authenticatorData = concatBytes(
      await sha256(new TextEncoder().encode(options.rp.id)),
      Uint8Array.of(this.flags() | ATTESTED_CREDENTIAL_DATA),
      new Uint8Array(4),
      // The AAGUID: zeros, as a `none` attestation sends it.
      new Uint8Array(16),
      credentialLength,
      credentialId,
      coseKey,
    );
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CborValue>()],
        ['authData', authenticatorData],
      ]),
    );
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge),
        attestationObject: toBase64Url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  async verify(request: {
    readonly challenge: string;
    readonly credentialId: string;
    readonly rpId?: string;
  }): Promise<PasskeyAssertion> {
    this.prompts.push({
      kind: 'verify',
      challenge: request.challenge,
      credentialId: request.credentialId,
    });
    this.failUnlessAvailable();
    const credential = this.credentials.get(request.credentialId);
    if (credential === undefined) throw notAllowed('No passkey on this device matches.');
    if (this.userAction === 'cancel') throw notAllowed('The user cancelled.');
    credential.counter += 1;
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, credential.counter);
    const authenticatorData = concatBytes(
      await sha256(new TextEncoder().encode(request.rpId ?? credential.rpId)),
      Uint8Array.of(this.flags()),
      counter,
    );
    const clientDataJSON = this.clientData('webauthn.get', request.challenge);
    const signed = concatBytes(
      authenticatorData,
      await sha256(fromBase64Url(clientDataJSON) ?? new Uint8Array()),
    );
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      credential.privateKey,
      signed as BufferSource,
    );
    return {
      id: request.credentialId,
      rawId: request.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: toBase64Url(authenticatorData),
        signature: toBase64Url(derSignature(new Uint8Array(signature))),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  private failUnlessAvailable(): void {
    if (!this.available) {
      throw new DOMException('This device has no platform authenticator.', 'NotSupportedError');
    }
  }

  private flags(): number {
    return this.userAction === 'not-verified' ? USER_PRESENT : USER_PRESENT | USER_VERIFIED;
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): string {
    const json = JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false });
    return toBase64Url(new TextEncoder().encode(json));
  }
}

function notAllowed(message: string): DOMException {
  return new DOMException(message, 'NotAllowedError');
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

/** WebCrypto's r‖s ECDSA signature in the DER form WebAuthn sends (SEQUENCE of two INTEGERs). */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): Uint8Array => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.slice(start);
    // A first byte with its top bit set would read as negative: a zero goes before it.
    const positive = (trimmed[0] ?? 0) >= 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed;
    return concatBytes(Uint8Array.of(0x02, positive.length), positive);
  };
  const r = integer(raw.slice(0, 32));
  const s = integer(raw.slice(32, 64));
  return concatBytes(Uint8Array.of(0x30, r.length + s.length), r, s);
}
