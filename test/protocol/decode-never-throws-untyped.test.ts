import { expect } from 'chai';
import fc from 'fast-check';
import { describe, it } from '#spec';
import {
  decodeQrPayload,
  encodeCompactPayload,
  encodeOneginiOtp,
  encodeQrText,
  QrPayloadError,
  type QrPayload,
} from '../../src/protocol/index.js';
import { base64Json } from '../support/base64-json.js';

const RUNS = 10_000;

/** Decodes, and returns the payload or the typed error; any other throw fails the property. */
function decodeOrTypedError(text: string): QrPayload | QrPayloadError {
  try {
    return decodeQrPayload(text);
  } catch (error) {
    if (error instanceof QrPayloadError) return error;
    throw new Error(`decodeQrPayload threw ${String(error)} for ${JSON.stringify(text)}`);
  }
}

/** Whatever decodes must be a well-formed payload: the caller can trust every field. */
function assertWellFormed(payload: QrPayload): void {
  if (payload.kind === 'authentication') {
    expect(payload.transactionId).to.match(/^[A-Za-z0-9._~-]{1,128}$/);
    expect(payload.otp).to.match(/^[A-Za-z0-9._~+/=-]{1,256}$/);
  } else {
    expect(payload.enrollmentId).to.match(/^[0-9a-f]{32}$/);
    expect(payload.secret).to.match(/^[0-9a-f]{32}$/);
  }
}

const hex128 = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''));

const transactionId = fc.uuid({ version: 4 });

const validText = fc.oneof(
  fc
    .tuple(transactionId, hex128)
    .map(([transactionId, otp]) =>
      encodeCompactPayload({ kind: 'authentication', format: 'compact', transactionId, otp }),
    ),
  fc.tuple(transactionId, hex128).map(([transactionId, otp]) =>
    encodeQrText('https://scan.example.com/', {
      kind: 'authentication',
      format: 'compact',
      transactionId,
      otp,
    }),
  ),
  fc.tuple(hex128, hex128).map(([enrollmentId, secret]) =>
    encodeQrText('http://localhost:5173/app/', {
      kind: 'enrollment',
      format: 'compact',
      enrollmentId,
      secret,
    }),
  ),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/), fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/))
    .map(([transactionId, otp]) => encodeOneginiOtp({ transactionId, otp })),
);

/** One edit of a valid text: what a damaged print, a bad scan or an attacker would produce. */
const mutatedText = fc
  .tuple(
    validText,
    fc.nat(),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
    fc.integer({ min: 0, max: 5 }),
  )
  .map(([text, position, insert, operation]) => {
    const at = position % (text.length + 1);
    switch (operation) {
      case 0:
        return text.slice(0, at) + insert + text.slice(at + 1); // replace
      case 1:
        return text.slice(0, at) + insert + text.slice(at); // insert
      case 2:
        return text.slice(0, at) + text.slice(at + 1); // delete
      case 3:
        return text.slice(0, at); // truncate
      case 4:
        return text + text.slice(at); // repeat a tail
      default:
        return text.slice(0, at).toLowerCase() + text.slice(at).toUpperCase(); // change case
    }
  });

describe('decoding never throws anything but the typed error', () => {
  it(`over ${RUNS} arbitrary strings`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
          fc.string({ unit: 'binary-ascii', maxLength: 1100 }),
          fc.base64String({ maxLength: 300 }),
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc.json().map(base64Json),
        ),
        (text) => {
          const result = decodeOrTypedError(text);
          if (!(result instanceof QrPayloadError)) assertWellFormed(result);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`over ${RUNS} mutations of valid payloads`, () => {
    fc.assert(
      fc.property(mutatedText, (text) => {
        const result = decodeOrTypedError(text);
        if (!(result instanceof QrPayloadError)) assertWellFormed(result);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes every valid payload it generates', () => {
    fc.assert(
      fc.property(validText, (text) => {
        expect(decodeOrTypedError(text)).not.to.be.instanceOf(QrPayloadError);
      }),
      { numRuns: 1_000 },
    );
  });
});
