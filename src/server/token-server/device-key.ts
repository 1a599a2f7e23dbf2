import { webcrypto } from 'node:crypto';

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

/** Imports a device's public key for verifying; rejects keys that are not on the curve. */
export async function importDevicePublicKey(jwk: DevicePublicJwk): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
}

export async function verifyDeviceSignature(
  key: webcrypto.CryptoKey,
  signature: Uint8Array,
  signedText: string,
): Promise<boolean> {
  return webcrypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signature,
    new TextEncoder().encode(signedText),
  );
}
