import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The public part of a device key, as the phone sends it at enrollment. */
export interface DevicePublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks that `value` is a P-256 public key JWK and nothing more: a JWK with a private part
 * (`d`) is refused, since a key that left the phone is no proof of the phone.
 */
export function parseDevicePublicJwk(value: unknown): DevicePublicJwk | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const jwk = value as Record<string, unknown>;
  const allowed = new Set(['kty', 'crv', 'x', 'y', 'ext', 'key_ops']);
  if (Object.keys(jwk).some((key) => !allowed.has(key))) return undefined;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return undefined;
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined;
  if (!COORDINATE.test(jwk.x) || !COORDINATE.test(jwk.y)) return undefined;
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/**
 * Imports a device's public key for verifying; throws for a key that is not on the curve.
 *
 * The server uses node:crypto's synchronous API rather than WebCrypto: a P-256 verify takes
 * about 0.1 ms, and WebCrypto's promise-per-job machinery cost more than the verify itself on the
 * mobile API's hot path (measured with `npm run bench:server`, docs/benchmarks.md).
 */
export function importDevicePublicKey(jwk: DevicePublicJwk): KeyObject {
  const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new TypeError('Not a P-256 public key.');
  return key;
}

/** Checks an ECDSA P-256 / SHA-256 signature in WebCrypto's raw (r ‖ s) form. */
export function verifyDeviceSignature(
  key: KeyObject,
  signature: Uint8Array,
  signedText: string,
): boolean {
  return verify('sha256', Buffer.from(signedText), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** The body hash of a signed request: base64url of its SHA-256, as the phone computes it. */
export function sha256Base64UrlSync(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
