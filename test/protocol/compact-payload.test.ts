import { expect } from 'chai';
import { describe, it } from '#spec';
import {
  COMPACT_PAYLOAD_LENGTH,
  decodeCompactPayload,
  decodeQrPayload,
  encodeCompactPayload,
} from '../../src/protocol/index.js';
import { expectPayloadError } from '../support/payload-error.js';
import { randomHex128, randomTransactionId } from '../support/random-hex.js';

describe('the compact form', () => {
  it('round-trips a login code, its transaction id a UUID as the Token Server issued it', () => {
    const transactionId = randomTransactionId();
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
      kind: 'enrollment',
      format: 'compact',
      enrollmentId: zero,
      secret: max,
    });

    expect(text).to.equal(`2${'0'.repeat(39)}340282366920938463463374607431768211455`);
    expect(decodeCompactPayload(text)).to.include({ enrollmentId: zero, secret: max });
  });

  it('keeps the extremes of a UUID v4 (the bits its version and variant leave free)', () => {
    for (const transactionId of [
      '00000000-0000-4000-8000-000000000000',
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    ]) {
      const text = encodeCompactPayload({
        kind: 'authentication',
        format: 'compact',
        transactionId,
        otp: randomHex128(),
      });
      expect(decodeCompactPayload(text)).to.include({ transactionId });
    }
  });

  it('refuses a login code whose id is 128 bits but not a UUID v4', () => {
    // Version 1 (a time-based UUID), the variant bits of another family, and an id of all zeros.
    for (const hex of [
      '6ba7b8109dad11d180b400c04fd430c8',
      '3f2b6c1e9d4a4e8bc1c752f0e6d9b834',
      '0'.repeat(32),
    ]) {
      const digits = BigInt(`0x${hex}`).toString(10).padStart(39, '0');
      const error = expectPayloadError(
        () => decodeQrPayload(`1${digits}${'0'.repeat(39)}`),
        'invalid_field',
      );
      expect(error.field).to.equal('transaction_id');
    }
  });

  it('refuses a code that is one digit short or long', () => {
    const text = encodeCompactPayload({
      kind: 'authentication',
      format: 'compact',
      transactionId: randomTransactionId(),
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

  it('will not encode a transaction id that is not a lowercase UUID v4', () => {
    for (const transactionId of [
      '',
      'abc',
      'f'.repeat(32), // the right bits without the hyphens
      randomTransactionId().toUpperCase(),
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8', // version 1
      `${randomTransactionId()}0`,
    ]) {
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

  it('will not encode an enrollment id or secret that is not 128 bits of hex', () => {
    for (const enrollmentId of ['', 'abc', 'F'.repeat(32), 'g'.repeat(32), '0'.repeat(33)]) {
      expect(() =>
        encodeCompactPayload({
          kind: 'enrollment',
          format: 'compact',
          enrollmentId,
          secret: randomHex128(),
        }),
      ).to.throw(TypeError);
    }
  });
});
