import { expect } from 'chai';
import { correction, generate } from 'lean-qr';
import { describe, it } from '#spec';
import { encodeQrText } from '../../src/protocol/index.js';
import { randomHex128, randomTransactionId } from '../support/random-hex.js';

/** The QR version that the widget's encoder picks for `text` at error correction M. */
function qrVersion(text: string): number {
  const code = generate(text, {
    minCorrectionLevel: correction.M,
    maxCorrectionLevel: correction.M,
  });
  return (code.size - 17) / 4;
}

describe('the size of a login QR', () => {
  it('fits version 4 at error correction M with an app URL of about 30 characters', () => {
    for (const appUrl of ['https://scan.otp-login.example/', 'https://login.bank-example.com/']) {
      const text = encodeQrText(appUrl, {
        kind: 'authentication',
        format: 'compact',
        transactionId: randomTransactionId(),
        otp: randomHex128(),
      });
      expect(qrVersion(text), text).to.be.at.most(4);
    }
  });

  it('would not fit if the code were in byte mode', () => {
    // The same characters, but lowercase: the URL is then not alphanumeric and costs more.
    const text = encodeQrText('https://scan.otp-login.example/', {
      kind: 'authentication',
      format: 'compact',
      transactionId: randomTransactionId(),
      otp: randomHex128(),
    });
    expect(qrVersion(text.toLowerCase().replace(/[0-9]/g, 'a'))).to.be.greaterThan(4);
  });
});
