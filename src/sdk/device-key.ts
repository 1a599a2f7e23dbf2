import { toBase64Url } from '../protocol/index.js';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A new device key pair. The private key is non-extractable: no code can read its bytes. */
export async function generateDeviceKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
}

/** The public key as the Token Server's enrollment call takes it: only `kty`, `crv`, `x`, `y`. */
export async function exportPublicJwk(publicKey: CryptoKey): Promise<JsonWebKey> {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

/** Signs `text` (UTF-8) with the device key: ECDSA P-256 / SHA-256, raw r‖s, base64url. */
export async function signText(privateKey: CryptoKey, text: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    new TextEncoder().encode(text),
  );
  return toBase64Url(new Uint8Array(signature));
}

/** A fresh nonce: 16 bytes from the CSPRNG, base64url (22 characters). */
export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
