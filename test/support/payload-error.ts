import { expect } from 'chai';
import { QrPayloadError, type QrPayloadErrorCode } from '../../src/protocol/index.js';

/** Runs `decode` and asserts that it refuses with a {@link QrPayloadError} of `code`. */
export function expectPayloadError(
  decode: () => unknown,
  code: QrPayloadErrorCode,
): QrPayloadError {
  let thrown: unknown;
  try {
    decode();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected the payload to be refused').to.be.instanceOf(QrPayloadError);
  const error = thrown as QrPayloadError;
  expect(error.code).to.equal(code);
  expect(error.name).to.equal('QrPayloadError');
  expect(error.message).to.be.a('string').and.not.equal('');
  return error;
}
