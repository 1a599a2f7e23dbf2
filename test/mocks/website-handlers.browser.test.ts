/*
 * `otp-login-qr/mocks` in a page, as users run it: MSW's service worker in a browser, and
 * `<otp-login-qr>` talking to it. (test/contract runs the same mock against the kit's stories in
 * Node.)
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers, type OtpLoginScenario } from '../../src/mocks/index.js';
import {
  LoginStatusResponseSchema,
  StartLoginResponseSchema,
  WEBSITE_ERROR_STATUSES,
  WebsiteErrorResponseSchema,
  type WebsiteErrorCode,
} from '../../src/protocol/index.js';
import type { OtpLoginQrError } from '../../src/widget/index.js';
import { mockServer } from '../support/mock-server.js';
import { install } from '../widget/fixtures/fake-timers.bundle.js';
import {
  mount,
  tearDownWidgets,
  untilStatus,
  useMockServer,
  watchFetch,
} from '../widget/widget-fixture.js';
import { until } from '../support/until.js';

describe('otp-login-qr/mocks in a page', () => {
  beforeEach(async () => {
    await useMockServer();
  });

  afterEach(async () => {
    await tearDownWidgets();
  });

  it('keeps the binding cookie out of reach of page scripts, and checks it on every poll', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending' }));

    const started = await fetch('/otp-login', { method: 'POST' });
    expect(started.status).to.equal(201);
    const { id } = v.parse(StartLoginResponseSchema, await started.json());
    expect(document.cookie, 'an HttpOnly cookie').not.to.include('otp_login_binding');

    const polled = await fetch(`/otp-login/${id}?wait=0`);
    expect(v.parse(LoginStatusResponseSchema, await polled.json()).status).to.equal('pending');
    const anonymous = await fetch(`/otp-login/${id}?wait=0`, { credentials: 'omit' });
    expect(anonymous.status).to.equal(404);
  });

  it('compare_code: asks the page to compare the phone’s code, and takes its answer with the binding cookie', async () => {
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'compare_code', polls: 1, compareCode: '402913' }),
    );
    const started = await fetch('/otp-login', { method: 'POST' });
    const { id } = v.parse(StartLoginResponseSchema, await started.json());
    const asked = v.parse(
      LoginStatusResponseSchema,
      await (await fetch(`/otp-login/${id}`)).json(),
    );
    expect(asked).to.deep.equal({
      status: 'confirm',
      confirm: 'compare_code',
      compare_code: '402913',
    });
    const confirm = (init: RequestInit) =>
      fetch(`/otp-login/${id}/confirm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ matches: true }),
        ...init,
      });
    expect((await confirm({ credentials: 'omit' })).status).to.equal(404);
    const linked = await confirm({});
    expect(v.parse(LoginStatusResponseSchema, await linked.json())).to.deep.equal({
      status: 'accepted',
      redirect_to: '/',
    });
  });

  it('refuses a start from a page that is not on the website’s publicOrigin', async () => {
    mockServer.use(...otpLoginHandlers({ publicOrigin: 'https://www.example.com' }));

    const refused = await fetch('/otp-login', { method: 'POST' });

    expect(refused.status).to.equal(403);
    expect(await refused.json()).to.include({ error: 'forbidden' });
  });

  const refusals: [OtpLoginScenario, WebsiteErrorCode, string | null][] = [
    ['forbidden_origin', 'forbidden', null],
    ['unauthorized', 'unauthorized', null],
    ['reauthentication_required', 'reauthentication_required', null],
    ['busy', 'busy', '10'],
    ['unavailable', 'unavailable', '5'],
  ];
  for (const [scenario, error, retryAfter] of refusals) {
    it(`${scenario}: starting answers ${WEBSITE_ERROR_STATUSES[error]} {error: "${error}"}`, async () => {
      mockServer.use(...otpLoginHandlers({ scenario }));

      const refused = await fetch('/otp-login', { method: 'POST' });

      expect(refused.status).to.equal(WEBSITE_ERROR_STATUSES[error]);
      expect(v.parse(WebsiteErrorResponseSchema, await refused.json()).error).to.equal(error);
      expect(refused.headers.get('retry-after')).to.equal(retryAfter);
    });
  }

  const ends: [OtpLoginScenario, string][] = [
    ['forbidden_origin', 'the website’s publicOrigin is not the page’s origin'],
    ['unauthorized', 'nobody is logged in for a second factor'],
    ['lost', 'the website forgot the login'],
  ];
  for (const [scenario, why] of ends) {
    it(`${scenario}: the element shows its error state when ${why}`, async () => {
      mockServer.use(...otpLoginHandlers({ scenario, polls: 1 }));
      const element = mount({ endpoint: '/otp-login' });
      const failed = new Promise<OtpLoginQrError>((resolve) => {
        element.addEventListener('otp-login-qr-error', (event) => {
          resolve(event.detail.error);
        });
      });

      await untilStatus(element, 'error');

      expect((await failed).code).to.equal('http_status');
    });
  }

  it('busy: the element tries again after each Retry-After, four times, then shows its error state', async () => {
    const log = watchFetch();
    const clock = install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      mockServer.use(...otpLoginHandlers({ scenario: 'busy' }));
      const element = mount({ endpoint: '/otp-login' });
      const failed = new Promise<OtpLoginQrError>((resolve) => {
        element.addEventListener('otp-login-qr-error', (event) => {
          resolve(event.detail.error);
        });
      });
      for (let attempt = 1; attempt < 4; attempt += 1) {
        // The answer is in, and the element has set its timer for the next try.
        await until(
          () => log.requests.length === attempt && log.inFlight === 0 && clock.countTimers() > 0,
          `try ${attempt}`,
        );
        await clock.tickAsync(9_900);
        expect(log.requests, 'no try before Retry-After').to.have.length(attempt);
        await clock.tickAsync(100);
      }
      await untilStatus(element, 'error');
      expect((await failed).code).to.equal('http_status');
      expect(log.requests).to.deep.equal(Array(4).fill('POST /otp-login'));
    } finally {
      clock.uninstall();
      log.restore();
    }
  });
});
