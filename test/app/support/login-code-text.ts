import { encodeQrText } from '../../../src/protocol/index.js';

/** The scanner app's address in the generated codes, as a Token Server would configure it. */
const APP_URL = 'https://scan.otp-login.example/';

function hex(random: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

/**
 * The text of a real login QR code, drawn from `random`: the app's URL with a compact code of a
 * random transaction id (a version 4 UUID, as the Token Server issues) and a random 128-bit OTP.
 */
export function loginCodeText(random: () => number): string {
  const variant = '89ab'[Math.floor(random() * 4)] ?? '8';
  const transactionId = `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${variant}${hex(random, 3)}-${hex(random, 12)}`;
  return encodeQrText(APP_URL, {
    kind: 'authentication',
    format: 'compact',
    transactionId,
    otp: hex(random, 32),
  });
}
