/*
 * A website that breaks the contract: the element shows its error state and fires
 * `otp-login-qr-error` with a stable code and the cause. Nothing is ever thrown.
 */
import { expect } from 'chai';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import { WebsiteContractError } from '../../src/protocol/index.js';
import type { OtpLoginQrError, OtpLoginQrErrorCode } from '../../src/widget/index.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import { nothingHappensFor } from '../support/until.js';
import {
  mount,
  part,
  text,
  unmountAll,
  untilStatus,
  useMockServer,
  settleAfterUnmount,
} from './widget-fixture.js';

const validStart = { id: 'login-1', qr: 'https://app.example/#otp=1', expires_in: 60, interval: 1 };

function startAnswering(body: JsonBodyType, status = 201) {
  return http.post('/otp-login', () =>
    typeof body === 'string'
      ? new HttpResponse(body, { status, headers: { 'content-type': 'application/json' } })
      : HttpResponse.json(body, { status }),
  );
}

function pollAnswering(body: JsonBodyType, status = 200) {
  return [
    startAnswering(validStart),
    http.get('/otp-login/login-1', () => HttpResponse.json(body, { status })),
  ];
}

const cases: {
  name: string;
  handlers: () => Parameters<typeof mockServer.use>;
  code: OtpLoginQrErrorCode;
  field?: string;
}[] = [
  {
    name: 'a start answer that is not JSON',
    handlers: () => [startAnswering('{"id": "login-1", ')],
    code: 'malformed_response',
  },
  {
    name: 'a start answer that is a JSON array',
    handlers: () => [startAnswering([validStart])],
    code: 'malformed_response',
  },
  {
    name: 'a start answer without qr',
    handlers: () => [startAnswering({ ...validStart, qr: undefined })],
    code: 'malformed_response',
    field: 'qr',
  },
  {
    name: 'a start answer with a huge qr',
    handlers: () => [startAnswering({ ...validStart, qr: 'x'.repeat(5_000) })],
    code: 'malformed_response',
    field: 'qr',
  },
  {
    name: 'a start answer with an id that is not URL-safe',
    handlers: () => [startAnswering({ ...validStart, id: '../admin' })],
    code: 'malformed_response',
    field: 'id',
  },
  {
    name: 'a start answer with expires_in as a string',
    handlers: () => [startAnswering({ ...validStart, expires_in: '60' })],
    code: 'malformed_response',
    field: 'expires_in',
  },
  {
    name: 'a start answer of 100 KB',
    handlers: () => [startAnswering({ ...validStart, padding: 'x'.repeat(100_000) })],
    code: 'response_too_large',
  },
  {
    name: 'a start refused with 403',
    handlers: () => [startAnswering({ error: 'forbidden' }, 403)],
    code: 'http_status',
  },
  {
    name: 'a status that is not a login status',
    handlers: () => pollAnswering({ status: 'maybe' }),
    code: 'malformed_response',
    field: 'status',
  },
  {
    name: 'a status answer without status',
    handlers: () => pollAnswering({ interval: 1 }),
    code: 'malformed_response',
    field: 'status',
  },
  {
    name: 'a 400 that is not slow_down',
    handlers: () => pollAnswering({ error: 'invalid_request' }, 400),
    code: 'malformed_response',
    field: 'error',
  },
  {
    name: 'an unknown login (404)',
    handlers: () => pollAnswering({ error: 'not_found' }, 404),
    code: 'http_status',
  },
  {
    name: 'a confirm status that does not say what to confirm',
    handlers: () => pollAnswering({ status: 'confirm' }),
    code: 'malformed_response',
    field: 'confirm',
  },
  {
    // "Does your phone show this code?" beside no code would let any phone through.
    name: 'a comparison without the code to compare',
    handlers: () => pollAnswering({ status: 'confirm', confirm: 'compare_code' }),
    code: 'malformed_response',
    field: 'confirm',
  },
  {
    name: 'a code to compare with a code to type',
    handlers: () =>
      pollAnswering({ status: 'confirm', confirm: 'enter_code', compare_code: '123456' }),
    code: 'malformed_response',
    field: 'confirm',
  },
  {
    name: 'a pending status that asks to confirm',
    handlers: () => pollAnswering({ status: 'pending', confirm: 'enter_code' }),
    code: 'malformed_response',
    field: 'confirm',
  },
  {
    name: 'a code to compare that is not six digits',
    handlers: () =>
      pollAnswering({ status: 'confirm', confirm: 'compare_code', compare_code: '12345<b>' }),
    code: 'malformed_response',
    field: 'compare_code',
  },
  {
    name: 'a confirm that does not know the kind',
    handlers: () => pollAnswering({ status: 'confirm', confirm: 'sign_here' }),
    code: 'malformed_response',
    field: 'confirm',
  },
  {
    name: 'a javascript: redirect_to',
    handlers: () => pollAnswering({ status: 'accepted', redirect_to: 'javascript:alert(1)' }),
    code: 'unsafe_redirect',
  },
  {
    name: 'a redirect_to on another origin',
    handlers: () => pollAnswering({ status: 'accepted', redirect_to: 'https://evil.example/' }),
    code: 'unsafe_redirect',
  },
  {
    name: 'a protocol-relative redirect_to',
    handlers: () => pollAnswering({ status: 'accepted', redirect_to: '//evil.example/x' }),
    code: 'unsafe_redirect',
  },
];

describe('<otp-login-qr> with a broken website', () => {
  const uncaught: unknown[] = [];
  const recordError = (event: ErrorEvent) => uncaught.push(event.error);
  const recordRejection = (event: PromiseRejectionEvent) => uncaught.push(event.reason);

  beforeEach(async () => {
    await useMockServer();
    uncaught.length = 0;
    window.addEventListener('error', recordError);
    window.addEventListener('unhandledrejection', recordRejection);
  });

  afterEach(async () => {
    unmountAll();
    await settleAfterUnmount();
    window.removeEventListener('error', recordError);
    window.removeEventListener('unhandledrejection', recordRejection);
    mockServer.resetHandlers();
    expectNoUnhandledRequests();
  });

  for (const { name, handlers, code, field } of cases) {
    it(`shows the error state for ${name}`, async () => {
      mockServer.use(...handlers());
      const element = mount({ endpoint: '/otp-login' });
      const failure = new Promise<OtpLoginQrError>((resolve) => {
        element.addEventListener('otp-login-qr-error', (event) => {
          resolve(event.detail.error);
        });
      });
      let accepted = false;
      element.addEventListener('otp-login-qr-accepted', () => {
        accepted = true;
      });

      await untilStatus(element, 'error');
      const error = await failure;
      expect(error.code).to.equal(code);
      expect(error.name).to.equal('OtpLoginQrError');
      if (field !== undefined) {
        expect(error.cause).to.be.instanceOf(WebsiteContractError);
        expect((error.cause as WebsiteContractError).field).to.equal(field);
      }
      expect(accepted, 'no accepted event for a refused redirect').to.equal(false);
      expect(text(element, 'status')).to.equal('Something went wrong. Please try again.');
      expect(text(element, 'button')).to.equal('Try again');
      expect(part(element, 'qr')?.getAttribute('role')).to.equal(null);
      await nothingHappensFor(50);
      expect(uncaught).to.deep.equal([]);
    });
  }

  it('recovers on "Try again" once the website works', async () => {
    mockServer.use(startAnswering('not json'));
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'error');

    mockServer.resetHandlers(...otpLoginHandlers({ scenario: 'deny', polls: 1 }));
    (part(element, 'button') as HTMLButtonElement).click();
    await untilStatus(element, 'denied');
  });
});
