import { expect } from 'chai';
import { describe, it } from '#spec';
import { decodeQrPayload, encodeOneginiOtp, MAX_QR_TEXT_LENGTH } from '../../src/protocol/index.js';
import { base64Json } from '../support/base64-json.js';
import { expectPayloadError } from '../support/payload-error.js';

describe("Onegini's OTP form", () => {
  it('decodes the base64 JSON that a Onegini Token Server returns', () => {
    const otp = base64Json(
      '{"transaction_id":"7f2c1e9a-5b1d-4f0e-9d3a-2c8b6e4f1a07","otp":"J8eK2pQ9xL"}',
    );

    expect(decodeQrPayload(otp)).to.deep.equal({
      kind: 'authentication',
      format: 'onegini',
      transactionId: '7f2c1e9a-5b1d-4f0e-9d3a-2c8b6e4f1a07',
      otp: 'J8eK2pQ9xL',
    });
  });

  it('round-trips through encodeOneginiOtp', () => {
    const text = encodeOneginiOtp({ transactionId: 'tx-1', otp: 'c0de+/=' });
    expect(decodeQrPayload(text)).to.include({
      format: 'onegini',
      transactionId: 'tx-1',
      otp: 'c0de+/=',
    });
  });

  it('accepts the URL-safe alphabet and missing padding', () => {
    const standard = base64Json('{"otp":"a~b","transaction_id":"t?"}'.replace('?', '1'));
    const urlSafe = standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(decodeQrPayload(urlSafe)).to.include({ transactionId: 't1', otp: 'a~b' });
  });

  it('refuses text that is not base64', () => {
    for (const text of ['e30!', 'ab=c', 'abcde', 'a+b_', '====', 'abc==']) {
      expectPayloadError(() => decodeQrPayload(text), 'not_base64');
    }
  });

  it('refuses base64 that does not hold JSON', () => {
    expectPayloadError(() => decodeQrPayload(base64Json('not json')), 'not_json');
    expectPayloadError(() => decodeQrPayload(base64Json('{"otp":')), 'not_json');
    expectPayloadError(() => decodeQrPayload(btoa('\xff\xfe{}')), 'not_json');
  });

  it('refuses JSON that is not an object', () => {
    for (const json of ['[]', 'null', '42', '"otp"', 'true']) {
      expectPayloadError(() => decodeQrPayload(base64Json(json)), 'not_an_object');
    }
  });

  it('refuses a missing field, naming it', () => {
    const error = expectPayloadError(
      () => decodeQrPayload(base64Json('{"otp":"abc"}')),
      'missing_field',
    );
    expect(error.field).to.equal('transaction_id');
    expect(
      expectPayloadError(
        () => decodeQrPayload(base64Json('{"transaction_id":"t"}')),
        'missing_field',
      ).field,
    ).to.equal('otp');
  });

  it('refuses extra fields, including __proto__', () => {
    const extra = base64Json('{"transaction_id":"t","otp":"o","user_id":"alice"}');
    expect(expectPayloadError(() => decodeQrPayload(extra), 'unexpected_field').field).to.equal(
      'user_id',
    );
    const proto = base64Json('{"transaction_id":"t","otp":"o","__proto__":{"kind":"enrollment"}}');
    expectPayloadError(() => decodeQrPayload(proto), 'unexpected_field');
  });

  it('refuses fields of the wrong type', () => {
    for (const json of [
      '{"transaction_id":1,"otp":"o"}',
      '{"transaction_id":"t","otp":null}',
      '{"transaction_id":["t"],"otp":"o"}',
      '{"transaction_id":"t","otp":{"code":"o"}}',
    ]) {
      expectPayloadError(() => decodeQrPayload(base64Json(json)), 'wrong_type');
    }
  });

  it('refuses empty, oversized or oddly written field values', () => {
    for (const json of [
      '{"transaction_id":"","otp":"o"}',
      '{"transaction_id":"t","otp":""}',
      `{"transaction_id":"${'t'.repeat(129)}","otp":"o"}`,
      '{"transaction_id":"../../admin","otp":"o"}',
      '{"transaction_id":"t x","otp":"o"}',
      '{"transaction_id":"t","otp":"<script>"}',
    ]) {
      expectPayloadError(() => decodeQrPayload(base64Json(json)), 'invalid_field');
    }
  });

  it('refuses a payload over the size cap before decoding it', () => {
    const huge = base64Json(`{"transaction_id":"t","otp":"${'a'.repeat(MAX_QR_TEXT_LENGTH)}"}`);
    expectPayloadError(() => decodeQrPayload(huge), 'too_long');
  });

  it('will not encode values that it would refuse to decode', () => {
    expect(() => encodeOneginiOtp({ transactionId: '', otp: 'o' })).to.throw(TypeError);
    expect(() => encodeOneginiOtp({ transactionId: 't', otp: 'two words' })).to.throw(TypeError);
  });
});
