import { QrPayloadError } from './qr-payload-error.js';

const STANDARD = /^[A-Za-z0-9+/]*$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64 strictly: the standard or the URL-safe alphabet (never both in one text), padding
 * optional but correct when present. `atob` alone would also accept whitespace and bad padding.
 */
export function decodeBase64(text: string): Uint8Array {
  const unpadded = text.replace(/={1,2}$/, '');
  const padding = text.length - unpadded.length;
  const alphabetOk = STANDARD.test(unpadded) || URL_SAFE.test(unpadded);
  const lengthOk =
    padding === 0 ? unpadded.length % 4 !== 1 : text.length % 4 === 0 && unpadded.length > 0;
  if (!alphabetOk || !lengthOk) {
    throw new QrPayloadError('not_base64', 'The code is not valid base64.');
  }
  const standard = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Encodes bytes as standard, padded base64 (what Onegini's Token Server sends). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
