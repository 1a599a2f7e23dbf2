/*
 * npm run bench:qr — how big is a login QR? Prints the QR version and module count of the
 * default login payload (the app URL with the compact code in its fragment) at error correction
 * M, next to longer app URLs and Onegini's base64 form for comparison. Exits 1 if the default
 * payload misses the target: version 4 or lower, at most 33×33 modules.
 */
import { correction, generate } from 'lean-qr';
import { encodeOneginiOtp, encodeQrText } from '../src/protocol/index.js';

const TARGET_VERSION = 4;
const DEFAULT_APP_URL = 'https://scan.otp-login.example/'; // 31 characters

function randomHex128(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

function measure(text: string): { version: number; modules: number } {
  const code = generate(text, {
    minCorrectionLevel: correction.M,
    maxCorrectionLevel: correction.M,
  });
  return { version: (code.size - 17) / 4, modules: code.size };
}

const transactionId = crypto.randomUUID();
const otp = randomHex128();
const login = { kind: 'authentication', format: 'compact', transactionId, otp } as const;

const cases = [
  { name: 'default login QR (31-char app URL)', text: encodeQrText(DEFAULT_APP_URL, login) },
  {
    name: 'login QR, 40-char app URL',
    text: encodeQrText('https://login-scanner.example-company.com/', login),
  },
  {
    name: 'login QR, app URL with a lowercase path',
    text: encodeQrText('https://scan.otp-login.example/app/', login),
  },
  {
    name: "Onegini's base64 OTP in the same URL",
    text: `${DEFAULT_APP_URL}#${encodeOneginiOtp({ transactionId, otp })}`,
  },
];

console.log('QR size at error correction M (lean-qr, automatic mode segmentation)\n');
console.log(`${'payload'.padEnd(42)} ${'chars'.padStart(5)} ${'version'.padStart(7)}  modules`);
for (const { name, text } of cases) {
  const { version, modules } = measure(text);
  console.log(
    `${name.padEnd(42)} ${String(text.length).padStart(5)} ${String(version).padStart(7)}  ${modules}×${modules}`,
  );
}

const defaultCase = cases[0];
if (defaultCase === undefined) throw new Error('no default case');
const result = measure(defaultCase.text);
const met = result.version <= TARGET_VERSION;
console.log(
  `\ndefault login QR: version ${result.version}, ${result.modules}×${result.modules} modules ` +
    `(target: version ≤ ${TARGET_VERSION}, ≤ 33×33): ${met ? 'met' : 'MISSED'}`,
);
console.log(`example text: ${defaultCase.text}`);
if (!met) process.exitCode = 1;
