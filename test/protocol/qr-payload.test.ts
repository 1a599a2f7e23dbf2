import { expect } from 'chai';
import { describe, it } from '#spec';
import {
  decodeAuthenticationPayload,
  decodeEnrollmentPayload,
  decodeQrPayload,
  encodeCompactPayload,
  encodeOneginiOtp,
  encodeQrText,
  MAX_QR_TEXT_LENGTH,
} from '../../src/protocol/index.js';
import { expectPayloadError } from '../support/payload-error.js';
import { randomHex128, randomTransactionId } from '../support/random-hex.js';

const transactionId = randomTransactionId();
const otp = randomHex128();
const login = { kind: 'authentication', format: 'compact', transactionId, otp } as const;
const compact = encodeCompactPayload(login);

describe('the URL form that a login QR carries', () => {
  it('puts the compact code in the fragment of the app URL, scheme and host in capitals', () => {
    const text = encodeQrText('https://scan.example.com/', login);
    expect(text).to.equal(`HTTPS://SCAN.EXAMPLE.COM/#${compact}`);
  });

  it('keeps the path, port and query of the app URL as they are', () => {
    expect(encodeQrText('https://example.com:8443/scan/app?src=qr', login)).to.equal(
      `HTTPS://EXAMPLE.COM:8443/scan/app?src=qr#${compact}`,
    );
  });

  it('decodes back to the payload and the app URL', () => {
    const text = encodeQrText('https://scan.example.com/app/', login);
    expect(decodeQrPayload(text)).to.deep.equal({
      ...login,
      appUrl: 'https://scan.example.com/app/',
    });
  });

  it("accepts Onegini's OTP in the fragment, escaped or not", () => {
    const oneginiOtp = encodeOneginiOtp({ transactionId: 'tx-42', otp: 'abc' });
    for (const fragment of [oneginiOtp, encodeURIComponent(oneginiOtp)]) {
      expect(decodeQrPayload(`https://scan.example.com/#${fragment}`)).to.include({
        format: 'onegini',
        transactionId: 'tx-42',
        appUrl: 'https://scan.example.com/',
      });
    }
  });

  it('allows plain http only on this machine', () => {
    for (const host of ['localhost:5173', '127.0.0.1:5173', '[::1]:5173', 'pwa.localhost']) {
      expect(decodeQrPayload(`http://${host}/#${compact}`)).to.include({ transactionId });
    }
    expectPayloadError(
      () => decodeQrPayload(`http://scan.example.com/#${compact}`),
      'insecure_scheme',
    );
    expectPayloadError(() => decodeQrPayload(`http://192.168.1.10/#${compact}`), 'insecure_scheme');
    expect(() => encodeQrText('http://scan.example.com/', login)).to.throw(TypeError);
  });

  it('refuses any other scheme', () => {
    for (const text of [
      `javascript:alert(1)//#${compact}`,
      `otpauth://totp/x#${compact}`,
      `ftp://scan.example.com/#${compact}`,
      `data:text/html,x#${compact}`,
      `intent://scan#${compact}`,
    ]) {
      expectPayloadError(() => decodeQrPayload(text), 'unsupported_scheme');
    }
  });

  it('refuses a URL without a code, or with credentials', () => {
    expectPayloadError(() => decodeQrPayload('https://scan.example.com/'), 'missing_code');
    expectPayloadError(() => decodeQrPayload('https://scan.example.com/#'), 'missing_code');
    expectPayloadError(
      () => decodeQrPayload(`https://user:pw@scan.example.com/#${compact}`),
      'invalid_url',
    );
  });

  it('refuses a URL that does not parse', () => {
    expectPayloadError(() => decodeQrPayload(`https://exa[mple.com/#${compact}`), 'invalid_url');
    expectPayloadError(() => decodeQrPayload(`https://#${compact}`), 'invalid_url');
  });

  it('refuses bad escapes and nested URLs in the fragment', () => {
    expectPayloadError(
      () => decodeQrPayload('https://scan.example.com/#%E0%A4%A'),
      'invalid_percent_encoding',
    );
    expectPayloadError(
      () => decodeQrPayload('https://scan.example.com/#%C3%A9'),
      'invalid_characters',
    );
    expectPayloadError(
      () => decodeQrPayload(`https://scan.example.com/#https://evil.example/%23${compact}`),
      'invalid_characters',
    );
  });

  it('will not build a QR for an app URL that is not absolute or has a fragment', () => {
    expect(() => encodeQrText('/scan', login)).to.throw(TypeError);
    expect(() => encodeQrText('https://scan.example.com/#x', login)).to.throw(TypeError);
    expect(() => encodeQrText('https://u:p@scan.example.com/', login)).to.throw(TypeError);
  });
});

describe('decoding any QR text', () => {
  it('refuses the empty text and text over the cap', () => {
    expectPayloadError(() => decodeQrPayload(''), 'empty');
    expectPayloadError(() => decodeQrPayload('1'.repeat(MAX_QR_TEXT_LENGTH + 1)), 'too_long');
  });

  it('refuses whitespace, control characters and non-ASCII look-alikes', () => {
    for (const text of [
      ` ${compact}`,
      `${compact}\n`,
      `1\u0000${compact.slice(2)}`,
      `１${compact.slice(1)}`,
      'ｈttps://x/#1',
    ]) {
      expectPayloadError(() => decodeQrPayload(text), 'invalid_characters');
    }
  });

  it('tells a login code from an enrollment code', () => {
    const enrollment = encodeCompactPayload({
      kind: 'enrollment',
      format: 'compact',
      enrollmentId: randomHex128(),
      secret: randomHex128(),
    });
    expect(decodeAuthenticationPayload(compact)).to.include({ transactionId });
    expect(decodeEnrollmentPayload(enrollment)).to.include({ kind: 'enrollment' });
    expectPayloadError(() => decodeAuthenticationPayload(enrollment), 'wrong_kind');
    expectPayloadError(() => decodeEnrollmentPayload(compact), 'wrong_kind');
  });

  it('throws a TypeError when called with something that is not a string', () => {
    expect(() => decodeQrPayload(42 as unknown as string)).to.throw(TypeError);
  });
});
