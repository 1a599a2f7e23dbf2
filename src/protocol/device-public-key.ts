import * as v from 'valibot';
import { MobileApiRefusal } from './mobile-api-refusals.js';

/** A P-256 coordinate: 32 bytes, base64url without padding. */
const COORDINATE = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));

/**
 * The public part of a device key, as the phone sends it at enrollment: a JWK with `kty` "EC",
 * `crv` "P-256" and the coordinates `x` and `y`. WebCrypto's export also writes `ext` and
 * `key_ops`, which are allowed and dropped; any other member is refused, `d` above all, since a
 * key that has left the phone is no proof of the phone.
 */
export const DevicePublicJwk = v.pipe(
  v.strictObject({
    kty: v.literal('EC'),
    crv: v.literal('P-256'),
    x: COORDINATE,
    y: COORDINATE,
    ext: v.optional(v.boolean()),
    key_ops: v.optional(v.pipe(v.array(v.string()), v.maxLength(8))),
  }),
  v.transform(({ kty, crv, x, y }) => ({ kty, crv, x, y })),
);
export type DevicePublicJwk = v.InferOutput<typeof DevicePublicJwk>;

/** `value` as a device public key JWK, or undefined if it is not one. */
export function parseDevicePublicJwk(value: unknown): DevicePublicJwk | undefined {
  const result = v.safeParse(DevicePublicJwk, value);
  return result.success ? result.output : undefined;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * Imports a device's public key with WebCrypto, for verifying its signatures. Throws a
 * {@link MobileApiRefusal} (`invalid_signature`) for coordinates that are not a point on the curve.
 */
export async function importDevicePublicKey(jwk: DevicePublicJwk): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', { ...jwk }, ALGORITHM, true, ['verify']);
  } catch (cause) {
    throw new MobileApiRefusal('invalid_signature', 'The public key is not a valid P-256 key.', {
      cause,
    });
  }
}

/** Checks a signature of the device: ECDSA P-256 / SHA-256, WebCrypto's raw r‖s form. */
export function webCryptoVerifier(
  key: CryptoKey,
): (signature: Uint8Array, signedText: string) => Promise<boolean> {
  return (signature, signedText) =>
    crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      signature as BufferSource,
      new TextEncoder().encode(signedText),
    );
}
