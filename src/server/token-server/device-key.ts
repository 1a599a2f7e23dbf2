import { createHash, KeyObject, verify } from 'node:crypto';
import {
  importDevicePublicKey,
  type DevicePublicJwk,
  type SignatureVerifier,
} from '../../protocol/index.js';

/*
 * The server's fast path for the mobile API's signatures. The key itself is checked and imported
 * by src/protocol (importDevicePublicKey, as the mock does); only the verify and the body hash are
 * node:crypto's synchronous ones: a P-256 verify takes about 0.1 ms, and WebCrypto's
 * promise-per-job machinery cost more than the verify itself on the mobile API's hot path
 * (measured with `npm run bench:server`, docs/benchmarks.md).
 */

/** A verifier of the device's signatures (ECDSA P-256 / SHA-256, raw r ‖ s) with node:crypto. */
export async function nodeVerifierFor(jwk: DevicePublicJwk): Promise<SignatureVerifier> {
  const key = KeyObject.from(await importDevicePublicKey(jwk));
  return (signature, signedText) =>
    verify('sha256', Buffer.from(signedText), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** The body hash of a signed request: base64url of its SHA-256, as the phone computes it. */
export function sha256Base64UrlSync(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
