/*
 * Property: whatever text a camera hands to mobileAuthWithOtp, it rejects with a typed OneginiError
 * (never throws anything else, never hangs, never opens a screen), and a text that does not decode
 * as a login code makes no network call at all. 10,000 texts: arbitrary strings, and valid codes
 * of every form (URL, compact, Onegini's base64 JSON, enrollment) with random mutations.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  decodeAuthenticationPayload,
  encodeOneginiOtp,
  SDK_ERRORS,
} from '../../src/protocol/index.js';
import { OneginiError } from '../../src/sdk/index.js';
import { afterEach, describe, it } from '#spec';
import { base64Json } from '../support/base64-json.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { createHarness, type Harness } from './sdk-harness.js';

const RUNS_PER_PROPERTY = 5_000; // two properties: 10,000 texts

/** Valid texts of every form, as the mock's website and enrollment would show them. */
function validTexts(h: Harness): string[] {
  const login = h.mock.startLogin();
  return [
    login.qr,
    login.code,
    encodeOneginiOtp({ transactionId: login.transactionId, otp: login.otp }),
    encodeOneginiOtp({ transactionId: 'some-onegini-transaction', otp: 'c2VjcmV0LW90cA==' }),
    h.mock.enrollmentCode(),
    `https://scan.example/app/?lang=nl#${login.code}`,
  ];
}

/** One random edit of a text: replace, insert or delete a character, cut, repeat or recase. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const char = fc.oneof(
    fc.constantFrom('0', '9', '#', '%', '/', '=', ':', '+', '-', '_', ' ', '\n', 'é', '\u0000'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  return fc
    .tuple(
      base,
      fc.nat(),
      char,
      fc.constantFrom('replace', 'insert', 'delete', 'cut', 'repeat', 'upper'),
    )
    .map(([text, position, character, edit]) => {
      const at = text.length === 0 ? 0 : position % text.length;
      switch (edit) {
        case 'replace':
          return text.slice(0, at) + character + text.slice(at + 1);
        case 'insert':
          return text.slice(0, at) + character + text.slice(at);
        case 'delete':
          return text.slice(0, at) + text.slice(at + 1);
        case 'cut':
          return text.slice(0, at);
        case 'repeat':
          return text + text.slice(at);
        case 'upper':
          return text.toUpperCase();
      }
    });
}

describe('mobileAuthWithOtp with arbitrary and mutated QR texts', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  /** A harness whose login calls get "unknown request" from a stub, so no flow ever opens. */
  async function harness(): Promise<{ h: Harness; transactionCalls: string[] }> {
    const transactionCalls: string[] = [];
    const h = await createHarness(
      {},
      {
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          if (!url.pathname.includes('/transactions/')) return fetch(input, init);
          transactionCalls.push(url.pathname);
          const body = {
            error: 'not_found',
            error_code: SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code,
          };
          return Promise.resolve(Response.json(body, { status: 404 }));
        },
      },
    );
    await h.enroll();
    return { h, transactionCalls };
  }

  async function check(h: Harness, transactionCalls: string[], text: string): Promise<void> {
    const callsBefore = transactionCalls.length;
    let decoded: { transactionId: string } | undefined;
    try {
      decoded = decodeAuthenticationPayload(text);
    } catch {
      decoded = undefined;
    }
    let rejection: unknown;
    try {
      await h.onegini.userClient.mobileAuthWithOtp(text);
    } catch (error) {
      rejection = error;
    }
    expect(rejection, JSON.stringify(text)).to.be.instanceOf(OneginiError);
    const made = transactionCalls.slice(callsBefore);
    // Ids `.` and `..` decode but are refused before sending (they are URL dot segments).
    if (decoded?.transactionId === '.' || decoded?.transactionId === '..') decoded = undefined;
    if (decoded === undefined) {
      expect((rejection as OneginiError).code).to.equal(SDK_ERRORS.NOT_HANDLEABLE.code);
      expect(made, `requests for ${JSON.stringify(text)}`).to.deep.equal([]);
    } else {
      expect(made).to.have.length(1);
      expect(made[0]).to.equal(
        `/api/mobile/v1/transactions/${encodeURIComponent(decoded.transactionId)}/redeem`,
      );
    }
    expect(h.listener.names.filter((name) => name !== 'eventError')).to.deep.equal([]);
  }

  it(`${RUNS_PER_PROPERTY} arbitrary texts`, async () => {
    const { h, transactionCalls } = await harness();
    const arbitraryText = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.stringMatching(/^[0-9]{70,90}$/),
      fc.json().map(base64Json),
      fc.dictionary(fc.string(), fc.string()).map((object) => base64Json(JSON.stringify(object))),
      fc.webUrl({ withFragments: true }),
      fc.string({ maxLength: 2000 }),
    );
    await fc.assert(
      fc.asyncProperty(arbitraryText, (text) => check(h, transactionCalls, text)),
      { numRuns: RUNS_PER_PROPERTY },
    );
  });

  it(`${RUNS_PER_PROPERTY} mutated valid codes`, async () => {
    const { h, transactionCalls } = await harness();
    const texts = validTexts(h);
    const mutatedText = mutated(fc.constantFrom(...texts)).chain((once) =>
      fc.oneof(fc.constant(once), mutated(fc.constant(once))),
    );
    await fc.assert(
      fc.asyncProperty(mutatedText, (text) => check(h, transactionCalls, text)),
      { numRuns: RUNS_PER_PROPERTY },
    );
    // Both kinds occurred: mutations that still decode (and were sent) and ones that did not.
    expect(transactionCalls.length).to.be.within(1, RUNS_PER_PROPERTY - 1);
  });
});
