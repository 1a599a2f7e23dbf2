/*
 * A phone in tests: an ECDSA P-256 key made with WebCrypto and requests signed the way the
 * SDK signs them (src/protocol/signed-request.ts).
 */
import {
  sha256Base64Url,
  signatureBaseString,
  SIGNATURE_HEADERS,
  toBase64Url,
} from '../../src/protocol/index.js';

export interface TestDevice {
  publicJwk: JsonWebKey;
  deviceId: string;
  /** Builds a signed request to `url` with a JSON body. */
  signedRequest(url: string, body: unknown, options?: SignOptions): Promise<Request>;
}

export interface SignOptions {
  /** Milliseconds since the epoch to sign with; defaults to now. */
  timestamp?: number;
  nonce?: string;
  /** Sign as no device (enrollment). */
  anonymous?: boolean;
}

export async function createTestDevice(): Promise<TestDevice> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const exported = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const publicJwk: JsonWebKey = {
    kty: exported.kty,
    crv: exported.crv,
    x: exported.x,
    y: exported.y,
  };
  const device: TestDevice = {
    publicJwk,
    deviceId: '',
    async signedRequest(url, body, options = {}) {
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      const parsed = new URL(url);
      const timestamp = String(options.timestamp ?? Date.now());
      const nonce = options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const deviceId = options.anonymous ? '' : device.deviceId;
      const signed = signatureBaseString({
        method: 'POST',
        pathAndQuery: parsed.pathname + parsed.search,
        bodySha256: await sha256Base64Url(bytes),
        timestamp,
        nonce,
        deviceId,
      });
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        keys.privateKey,
        new TextEncoder().encode(signed),
      );
      const headers = new Headers({
        'Content-Type': 'application/json',
        [SIGNATURE_HEADERS.timestamp]: timestamp,
        [SIGNATURE_HEADERS.nonce]: nonce,
        [SIGNATURE_HEADERS.signature]: toBase64Url(new Uint8Array(signature)),
      });
      if (deviceId !== '') headers.set(SIGNATURE_HEADERS.deviceId, deviceId);
      return new Request(url, { method: 'POST', headers, body: bytes });
    },
  };
  return device;
}
