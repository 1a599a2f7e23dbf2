/*
 * The `confirm` status: after the phone, the browser's user confirms. Linking a phone, they say
 * whether their phone shows the page's code; logging in with proof of presence, they type the code
 * their phone shows.
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import type {
  OtpLoginQr,
  OtpLoginQrAcceptedDetail,
  OtpLoginQrConfirmDetail,
  OtpLoginQrError,
} from '../../src/widget/index.js';
import { mockServer } from '../support/mock-server.js';
import { nothingHappensFor, until } from '../support/until.js';
import { confirmWebsite } from './confirm-website.js';
import {
  mount,
  part,
  statusesOf,
  tearDownWidgets,
  text,
  untilStatus,
  useMockServer,
  watchFetch,
  type FetchLog,
} from './widget-fixture.js';

function buttons(element: OtpLoginQr): HTMLButtonElement[] {
  return [...(element.shadowRoot?.querySelectorAll('button') ?? [])];
}

function button(element: OtpLoginQr, label: string): HTMLButtonElement {
  const found = buttons(element).find((candidate) => candidate.textContent.trim() === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}

function codeInput(element: OtpLoginQr): HTMLInputElement {
  const input = part(element, 'input');
  if (!(input instanceof HTMLInputElement)) throw new Error('no code input');
  return input;
}

/** Types `code` into the input and submits the form, as a user pressing Enter does. */
function typeCode(element: OtpLoginQr, code: string): void {
  const input = codeInput(element);
  input.value = code;
  input.form?.requestSubmit();
}

function record<T>(element: OtpLoginQr, type: string): T[] {
  const details: T[] = [];
  element.addEventListener(type, (event) => {
    details.push((event as CustomEvent<T>).detail);
  });
  return details;
}

describe('<otp-login-qr> confirming in the browser', () => {
  let log: FetchLog | undefined;

  beforeEach(async () => {
    await useMockServer();
  });

  afterEach(async () => {
    log?.restore();
    log = undefined;
    await tearDownWidgets();
  });

  describe('linking a phone: "Does your phone show this code?"', () => {
    it('shows the code instead of the QR, and "Yes" links the phone', async () => {
      const website = confirmWebsite({ kind: 'compare_code', code: '482193', scannedPolls: 1 });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login', purpose: 'link' });
      const asked = record<OtpLoginQrConfirmDetail>(element, 'otp-login-qr-confirm');
      const accepted = record<OtpLoginQrAcceptedDetail>(element, 'otp-login-qr-accepted');

      await untilStatus(element, 'confirm');
      expect(element.getAttribute('status')).to.equal('confirm');
      expect(part(element, 'qr'), 'the used QR is gone').to.equal(null);
      expect(text(element, 'code')).to.equal('482 193');
      expect(text(element, 'status')).to.equal('Does your phone show this code?');
      expect(buttons(element).map((each) => each.textContent.trim())).to.deep.equal([
        'Yes, link this phone',
        'No, it shows something else',
      ]);
      // Equal weight: the same part, and neither has the focus that Enter would press.
      expect(buttons(element).map((each) => each.getAttribute('part'))).to.deep.equal([
        'button',
        'button',
      ]);
      expect(element.shadowRoot?.activeElement ?? null).to.equal(null);
      expect(asked).to.deep.equal([{ kind: 'compare_code', compareCode: '482193' }]);

      button(element, 'Yes, link this phone').click();

      await untilStatus(element, 'accepted');
      expect(text(element, 'status')).to.equal('Your phone is linked.');
      expect(website.confirmations).to.deep.equal([{ matches: true }]);
      expect(website.confirmationHeaders).to.deep.equal([
        { contentType: 'application/json', bound: true },
      ]);
      expect(accepted).to.deep.equal([{ redirectTo: '/home' }]);
      expect(statusesOf(element)).to.deep.equal([
        'loading',
        'pending',
        'scanned',
        'confirm',
        'accepted',
      ]);
    });

    it('"No" links nothing, and says that another phone may have scanned the code', async () => {
      const website = confirmWebsite({ kind: 'compare_code', code: '105060' });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login', purpose: 'link' });
      const denied = record<unknown>(element, 'otp-login-qr-denied');

      await untilStatus(element, 'confirm');
      button(element, 'No, it shows something else').click();

      await untilStatus(element, 'denied');
      expect(website.confirmations).to.deep.equal([{ matches: false }]);
      expect(text(element, 'status')).to.equal(
        'Nothing was linked. Another phone may have scanned the code: try again, with your own phone.',
      );
      expect(text(element, 'code'), 'no code left to compare').to.equal('');
      expect(denied).to.have.length(1);
      expect(text(element, 'button')).to.equal('Try again');
    });

    it('asks in Dutch on a Dutch page', async () => {
      mockServer.use(...confirmWebsite({ kind: 'compare_code', code: '000321' }).handlers);
      const element = mount({ endpoint: '/otp-login', purpose: 'link' }, 'nl');

      await untilStatus(element, 'confirm');
      expect(text(element, 'status')).to.equal('Toont je telefoon deze code?');
      expect(text(element, 'code')).to.equal('000 321');
      expect(buttons(element).map((each) => each.textContent.trim())).to.deep.equal([
        'Ja, koppel deze telefoon',
        'Nee, hij toont iets anders',
      ]);
    });

    it('sends one answer however often the user clicks while it is on its way', async () => {
      const website = confirmWebsite({ kind: 'compare_code' });
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let confirmations = 0;
      mockServer.use(
        http.post('/otp-login/confirm-login-1/confirm', async () => {
          confirmations += 1;
          await held;
        }),
        ...website.handlers,
      );
      const element = mount({ endpoint: '/otp-login', purpose: 'link' });
      await untilStatus(element, 'confirm');

      button(element, 'Yes, link this phone').click();
      await until(() => confirmations === 1, 'the first answer at the website');
      button(element, 'Yes, link this phone').click();
      button(element, 'No, it shows something else').click();
      await nothingHappensFor(300);
      expect(confirmations).to.equal(1);

      release();
      await untilStatus(element, 'accepted');
      expect(website.confirmations).to.deep.equal([{ matches: true }]);
    });

    it('ignores the answer to a confirmation sent before restart()', async () => {
      const website = confirmWebsite({ kind: 'compare_code' });
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let received = false;
      mockServer.use(
        http.post('/otp-login/confirm-login-1/confirm', async () => {
          received = true;
          await held;
          return HttpResponse.json({ status: 'accepted', redirect_to: '/home' });
        }),
        ...website.handlers,
      );
      const element = mount({ endpoint: '/otp-login', purpose: 'link' });
      const accepted = record<unknown>(element, 'otp-login-qr-accepted');
      await untilStatus(element, 'confirm');
      button(element, 'Yes, link this phone').click();
      await until(() => received, 'the answer at the website');

      element.restart();
      await untilStatus(element, 'confirm');
      release();

      await nothingHappensFor(300);
      expect(element.status).to.equal('confirm');
      expect(accepted).to.deep.equal([]);
    });
  });

  describe('logging in with proof of presence: "Type the code your phone shows"', () => {
    it('asks for the code, says how many tries a wrong one leaves, and logs in with the right one', async () => {
      const website = confirmWebsite({ kind: 'enter_code', code: '271828', tries: 3 });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login' });
      const asked = record<OtpLoginQrConfirmDetail>(element, 'otp-login-qr-confirm');
      const accepted = record<OtpLoginQrAcceptedDetail>(element, 'otp-login-qr-accepted');

      await untilStatus(element, 'confirm');
      expect(asked).to.deep.equal([{ kind: 'enter_code', compareCode: undefined }]);
      expect(part(element, 'qr')).to.equal(null);
      expect(text(element, 'status')).to.equal('Type the code your phone shows.');
      const input = codeInput(element);
      expect(element.shadowRoot?.activeElement, 'focus is where the user types').to.equal(input);
      expect(input.labels?.[0]?.textContent.trim()).to.equal('Code from your phone');
      expect(input.getAttribute('inputmode')).to.equal('numeric');
      // The attribute: Firefox's autocomplete property does not know one-time-code.
      expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
      expect(input.required).to.equal(true);
      expect(text(element, 'button')).to.equal('Confirm');

      typeCode(element, '123456');
      await until(
        () => text(element, 'status').includes('tries left'),
        'the wrong code to be told',
      );
      expect(text(element, 'status')).to.equal(
        'That code is not the one on your phone. 2 tries left.',
      );
      expect(element.status).to.equal('confirm');
      expect(element.shadowRoot?.activeElement, 'still typing').to.equal(input);

      typeCode(element, '111111');
      await until(() => text(element, 'status').includes('1 try left'), 'the last try');
      expect(text(element, 'status')).to.equal(
        'That code is not the one on your phone. 1 try left.',
      );

      // As the phone groups it.
      typeCode(element, '271 828');
      await untilStatus(element, 'accepted');
      expect(text(element, 'status')).to.equal('You are logged in.');
      expect(website.confirmations).to.deep.equal([
        { code: '123456' },
        { code: '111111' },
        { code: '271828' },
      ]);
      expect(accepted).to.deep.equal([{ redirectTo: '/home' }]);
      expect(asked, 'asked once, not after every wrong code').to.have.length(1);
    });

    it('ends denied after the last wrong code', async () => {
      const website = confirmWebsite({ kind: 'enter_code', code: '271828', tries: 1 });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login' });
      await untilStatus(element, 'confirm');

      typeCode(element, '000000');
      await untilStatus(element, 'denied');
      expect(text(element, 'status')).to.equal('Too many wrong codes: you are not logged in.');
      expect(part(element, 'input')).to.equal(null);
    });

    it('sends nothing for a code that is not six digits', async () => {
      const website = confirmWebsite({ kind: 'enter_code' });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login' });
      await untilStatus(element, 'confirm');

      // The browser's own check stops these, with its own message.
      for (const typed of ['12345', '1234567', 'abcdef', '12 34 56', '']) typeCode(element, typed);
      // Past it (a page that turns it off, say), the element's own.
      const input = codeInput(element);
      input.removeAttribute('pattern');
      input.removeAttribute('maxlength');
      for (const typed of ['12345', '1234567', 'abcdef', '１２３４５６']) typeCode(element, typed);

      await nothingHappensFor(300);
      expect(website.confirmations).to.deep.equal([]);
      expect(element.status).to.equal('confirm');
    });

    it('keeps polling while it asks, and ends when the login expires', async () => {
      const website = confirmWebsite({ kind: 'enter_code' });
      mockServer.use(...website.handlers);
      const element = mount({ endpoint: '/otp-login' });
      await untilStatus(element, 'confirm');

      website.setStatus({ status: 'expired' });

      await untilStatus(element, 'expired');
      expect(part(element, 'input')).to.equal(null);
      expect(text(element, 'button')).to.equal('Get a new code');
    });

    it('aborts the held poll to send the code at once, and polls again after a wrong one', async () => {
      const website = confirmWebsite({ kind: 'enter_code', code: '271828' });
      mockServer.use(...website.handlers);
      log = watchFetch();
      const element = mount({ endpoint: '/otp-login' });
      await untilStatus(element, 'confirm');
      // The second poll is the held one.
      await until(() => website.polls === 2, 'the held poll');

      typeCode(element, '999999');
      await until(() => text(element, 'status').includes('tries left'), 'the wrong code told');
      await until(() => website.polls === 3, 'the poll after the answer');

      expect(log.requests).to.deep.equal([
        'POST /otp-login',
        'GET /otp-login/confirm-login-1?wait=30',
        'GET /otp-login/confirm-login-1?wait=30',
        'POST /otp-login/confirm-login-1/confirm',
        'GET /otp-login/confirm-login-1?wait=30',
      ]);
      expect(log.maxInFlight).to.equal(1);
    });
  });

  describe('a confirmation that goes wrong', () => {
    it('shows the error state when the website refuses the confirmation with 400', async () => {
      mockServer.use(
        http.post('/otp-login/confirm-login-1/confirm', () =>
          HttpResponse.json({ error: 'invalid_request' }, { status: 400 }),
        ),
        ...confirmWebsite({ kind: 'compare_code' }).handlers,
      );
      const element = mount({ endpoint: '/otp-login', purpose: 'link' });
      const errors = record<{ error: OtpLoginQrError }>(element, 'otp-login-qr-error');
      await untilStatus(element, 'confirm');

      button(element, 'Yes, link this phone').click();

      await untilStatus(element, 'error');
      expect(errors.map(({ error }) => [error.code, error.message])).to.deep.equal([
        ['http_status', 'The website answered 400 Bad Request.'],
      ]);
      expect(text(element, 'status')).to.equal('Something went wrong. Please try again.');
      expect(text(element, 'code')).to.equal('');
      expect(buttons(element).map((each) => each.textContent.trim())).to.deep.equal(['Try again']);
    });

    it('goes back to polling when the confirmation is lost on the way, and the poll brings the login', async () => {
      const website = confirmWebsite({ kind: 'enter_code' });
      mockServer.use(
        // The website took the code and logged the browser in, but its answer never arrived.
        http.post('/otp-login/confirm-login-1/confirm', () => {
          website.setStatus({ status: 'accepted', redirect_to: '/home' });
          return HttpResponse.error();
        }),
        ...website.handlers,
      );
      const element = mount({ endpoint: '/otp-login' });
      const errors = record<{ error: OtpLoginQrError }>(element, 'otp-login-qr-error');
      const accepted = record<OtpLoginQrAcceptedDetail>(element, 'otp-login-qr-accepted');
      await untilStatus(element, 'confirm');

      typeCode(element, '123456');

      await untilStatus(element, 'accepted');
      expect(errors).to.deep.equal([]);
      expect(accepted).to.deep.equal([{ redirectTo: '/home' }]);
    });

    it('asks again after the website refused the confirmation for now (429)', async () => {
      const website = confirmWebsite({ kind: 'enter_code' });
      mockServer.use(
        http.post('/otp-login/confirm-login-1/confirm', () =>
          HttpResponse.json(
            { error: 'slow_down', interval: 0 },
            {
              status: 429,
              headers: { 'retry-after': '0' },
            },
          ),
        ),
        ...website.handlers,
      );
      const element = mount({ endpoint: '/otp-login' });
      const errors = record<{ error: OtpLoginQrError }>(element, 'otp-login-qr-error');
      await untilStatus(element, 'confirm');
      const pollsBefore = website.polls;

      typeCode(element, '123456');

      await until(() => website.polls > pollsBefore, 'a poll after the refused confirmation');
      expect(element.status).to.equal('confirm');
      expect(errors).to.deep.equal([]);
    });
  });
});
