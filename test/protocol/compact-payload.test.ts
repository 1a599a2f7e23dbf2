import { expect } from 'chai';
import { describe, it } from '#spec';
import {
  COMPACT_PAYLOAD_LENGTH,
  decodeCompactPayload,
  decodeQrPayload,
  encodeCompactPayload,
} from '../../src/protocol/index.js';
import { expectPayloadError } from '../support/payload-error.js';
import { randomHex128 } from '../support/random-hex.js';

describe('the compact form', () => {
  it('round-trips a login code', () => {
    const transactionId = randomHex128();
    const otp = randomHex128();
    const text = encodeCompactPayload({
      kind: 'authentication',
      format: 'compact',
      transactionId,
      otp,
    });

    expect(text).to.match(/^1[0-9]{78}$/);
    expect(text).to.have.length(COMPACT_PAYLOAD_LENGTH);
    expect(decodeQrPayload(text)).to.deep.equal({
      kind: 'authentication',
      format: 'compact',
      transactionId,
      otp,
    });
  });

  it('round-trips an enrollment code', () => {
    const enrollmentId = randomHex128();
    const secret = randomHex128();
    const text = encodeCompactPayload({
      kind: 'enrollment',
      format: 'compact',
      enrollmentId,
      secret,
    });

    expect(text).to.match(/^2[0-9]{78}$/);
    expect(decodeQrPayload(text)).to.deep.equal({
      kind: 'enrollment',
      format: 'compact',
      enrollmentId,
      secret,
    });
  });

  it('keeps the extremes of the 128-bit range', () => {
    const zero = '0'.repeat(32);
    const max = 'f'.repeat(32);
    const text = encodeCompactPayload({
      kind: 'authentication',
      format: 'compact',
      transactionId: zero,
      otp: max,
    });

    expect(text).to.equal(`1${'0'.repeat(39)}340282366920938463463374607431768211455`);
    expect(decodeCompactPayload(text)).to.include({ transactionId: zero, otp: max });
  });

  it('refuses a code that is one digit short or long', () => {
    const text = encodeCompactPayload({
      kind: 'authentication',
      format: 'compact',
      transactionId: randomHex128(),
      otp: randomHex128(),
    });
    expectPayloadError(() => decodeQrPayload(text.slice(0, -1)), 'invalid_length');
    expectPayloadError(() => decodeQrPayload(`${text}0`), 'invalid_length');
  });

  it('refuses a value of 2^128 or more', () => {
    const tooBig = '340282366920938463463374607431768211456'; // 2^128
    expectPayloadError(() => decodeQrPayload(`1${tooBig}${'0'.repeat(39)}`), 'out_of_range');
    expectPayloadError(
      () => decodeQrPayload(`1${'0'.repeat(39)}${'9'.repeat(39)}`),
      'out_of_range',
    );
  });

  it('refuses an unknown kind digit', () => {
    for (const kind of ['0', '3', '9']) {
      expectPayloadError(() => decodeQrPayload(`${kind}${'0'.repeat(78)}`), 'unknown_kind');
    }
  });

  it('will not encode an id that is not 128 bits of hex', () => {
    for (const transactionId of ['', 'abc', 'F'.repeat(32), 'g'.repeat(32), '0'.repeat(33)]) {
      expect(() =>
        encodeCompactPayload({
          kind: 'authentication',
          format: 'compact',
          transactionId,
          otp: randomHex128(),
        }),
      ).to.throw(TypeError);
    }
  });
});
