/*
 * A phone's platform authenticator in software, for Token Server tests: one passkey (ECDSA P-256,
 * ES256), registered with `none` attestation and used for assertions, each built byte for byte
 * as WebAuthn builds them (clientDataJSON; authenticatorData with the RP ID's hash, the flags and
 * the counter; the attested credential data with its COSE key; a DER signature), so that the
 * server verifies them with @simplewebauthn exactly as it verifies a phone's. Every part a test
 * may want wrong (challenge, origin, RP ID, the UV flag, the counter) can be set per call.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { PasskeyAssertion, PasskeyRegistrationResponse } from '../../src/protocol/index.js';

/** authenticatorData's flags. */
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
const ATTESTED_CREDENTIAL_DATA = 0x40;

/** What a ceremony signs and where it says it ran; the test's own choice for each. */
export interface Ceremony {
  /** The server's challenge, base64url, as clientDataJSON carries it. */
  readonly challenge: string;
  /** The page's origin, e.g. `https://scan.example`. */
  readonly origin: string;
  /** The relying party the authenticator scopes the passkey to; the origin's host by default. */
  readonly rpId?: string;
  /** Whether the user was verified (the UV flag); true by default. */
  readonly userVerified?: boolean;
}

export class SoftwareAuthenticator {
  /** The passkey's credential id, base64url. */
  readonly credentialId = randomBytes(16).toString('base64url');
  /** The signature counter: every assertion counts one up, unless told which to report. */
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** `navigator.credentials.create()`'s answer, as `toJSON()` gives it. */
  register(ceremony: Ceremony): PasskeyRegistrationResponse {
    const clientDataJSON = clientData('webauthn.create', ceremony);
    const credentialId = Buffer.from(this.credentialId, 'base64url');
    const attestedCredentialData = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none, with `none` attestation
      uint16(credentialId.length),
      credentialId,
      Buffer.from(isoCBOR.encode(this.coseKey())),
    ]);
    const authData = Buffer.concat([
      authenticatorData(ceremony, ATTESTED_CREDENTIAL_DATA, this.counter),
      attestedCredentialData,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /**
   * `navigator.credentials.get()`'s answer, as `toJSON()` gives it: the counter goes one up,
   * unless `counter` says what to report (a cloned authenticator, a replay).
   */
  assert(ceremony: Ceremony & { readonly counter?: number }): PasskeyAssertion {
    this.counter = ceremony.counter ?? this.counter + 1;
    const clientDataJSON = clientData('webauthn.get', ceremony);
    const authData = authenticatorData(ceremony, 0, this.counter);
    const clientDataHash = createHash('sha256').update(clientDataJSON).digest();
    // WebAuthn's ES256 signatures are DER, as node:crypto makes them.
    const signature = sign('sha256', Buffer.concat([authData, clientDataHash]), this.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** The public key as COSE writes it: an EC2 key for ES256 on P-256. */
  private coseKey(): Map<number, number | Uint8Array> {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))],
    ]);
  }
}

function clientData(type: 'webauthn.create' | 'webauthn.get', ceremony: Ceremony): Buffer {
  return Buffer.from(
    JSON.stringify({
      type,
      challenge: ceremony.challenge,
      origin: ceremony.origin,
      crossOrigin: false,
    }),
  );
}

/** The RP ID's hash, the flags (the user present, and verified unless told not), the counter. */
function authenticatorData(ceremony: Ceremony, flags: number, counter: number): Buffer {
  const rpId = ceremony.rpId ?? new URL(ceremony.origin).hostname;
  const verified = ceremony.userVerified ?? true;
  const counterBytes = Buffer.alloc(4);
  counterBytes.writeUInt32BE(counter);
  return Buffer.concat([
    createHash('sha256').update(rpId).digest(),
    Buffer.from([USER_PRESENT | (verified ? USER_VERIFIED : 0) | flags]),
    counterBytes,
  ]);
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
