/*
 * How the phone signs every call to the Token Server's mobile API, shared by the SDK (which
 * signs) and the server (which verifies). The device key is ECDSA P-256 with SHA-256; the
 * signature is WebCrypto's raw r‖s form, base64url. docs/token-server-api.md shows an example.
 */

/** The request headers that carry a signature. */
export const SIGNATURE_HEADERS = {
  deviceId: 'device-id',
  timestamp: 'request-timestamp',
  nonce: 'request-nonce',
  signature: 'request-signature',
} as const;

/** Version tag at the start of what is signed, so that the format can change safely. */
export const SIGNATURE_SCHEME = 'OTPLQR-SIG-1';

export interface SignedRequestParts {
  readonly method: string;
  /** Path and query, exactly as sent (e.g. `/api/mobile/v1/transactions/ab…/redeem`). */
  readonly pathAndQuery: string;
  /** base64url of the SHA-256 of the body bytes (of the empty string when there is no body). */
  readonly bodySha256: string;
  /** Milliseconds since the epoch, as a decimal string. */
  readonly timestamp: string;
  readonly nonce: string;
  /** The device id; empty for enrollment, which is signed by the key being enrolled. */
  readonly deviceId: string;
}

/** The exact text that is signed: one field a line, in a fixed order. */
export function signatureBaseString(parts: SignedRequestParts): string {
  return [
    SIGNATURE_SCHEME,
    parts.method.toUpperCase(),
    parts.pathAndQuery,
    parts.bodySha256,
    parts.timestamp,
    parts.nonce,
    parts.deviceId,
  ].join('\n');
}

/** A nonce is 16 to 64 base64url characters (at least 96 bits). */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url without padding to bytes; undefined if the text is not that. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** base64url of the SHA-256 of `body`. */
export async function sha256Base64Url(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', body as BufferSource);
  return toBase64Url(new Uint8Array(digest));
}
