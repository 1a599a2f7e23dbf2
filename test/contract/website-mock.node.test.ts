/*
 * The website contract suite against `otp-login-qr/mocks`: MSW's handlers in Node (setupServer),
 * reached with Node's own fetch, which keeps no cookies: the suite's browser keeps them.
 */
import { after, before } from 'node:test';
import { setupServer } from 'msw/node';
import { otpLoginHandlers, type OtpLoginHandlersOptions } from '../../src/mocks/index.js';
import { describeWebsiteContract } from './website-contract.js';
import type { WebsiteStory } from './website-side.js';

const ORIGIN = 'http://site.test';
const ENDPOINT = '/otp-login';

/** The mock's options that tell each story, poll by poll, as the suite polls. */
const STORIES: Record<WebsiteStory, OtpLoginHandlersOptions> = {
  pending: { scenario: 'pending' },
  accept: { scenario: 'accept', scannedAt: 2, polls: 3 },
  deny: { scenario: 'deny', scannedAt: 2, polls: 3 },
  expire: { scenario: 'expire', polls: 2 },
  lost: { scenario: 'lost', polls: 2 },
  rate_limited: { scenario: 'rate_limited' },
  forbidden_origin: { scenario: 'forbidden_origin' },
  compare_code: { scenario: 'compare_code', polls: 2, compareCode: '318054' },
  enter_code: { scenario: 'enter_code', scannedAt: 2, polls: 3, presenceCode: '690241' },
  unauthorized: { scenario: 'unauthorized' },
  reauthentication_required: { scenario: 'reauthentication_required' },
  busy: { scenario: 'busy' },
  unavailable: { scenario: 'unavailable' },
};

const server = setupServer();
before(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
after(() => {
  server.close();
});

describeWebsiteContract({
  name: 'the MSW mock (otp-login-qr/mocks)',
  open(story) {
    server.resetHandlers(
      ...otpLoginHandlers({ endpoint: `${ORIGIN}${ENDPOINT}`, ...STORIES[story] }),
    );
    return Promise.resolve({
      origin: ORIGIN,
      endpoint: ENDPOINT,
      send: (request) => fetch(request),
      // The mock's script moves on with every poll; the phone and the website do nothing.
      scan: () => Promise.resolve(),
      answer: () => Promise.resolve(),
      phoneCode: () => {
        const { compareCode, presenceCode } = STORIES[story];
        const code = compareCode ?? presenceCode;
        if (code === undefined) throw new Error('the phone shows no code');
        return code;
      },
      forget: () => Promise.resolve(),
      timePassed: () => undefined,
      close: () => {
        server.resetHandlers();
        return Promise.resolve();
      },
    });
  },
});
