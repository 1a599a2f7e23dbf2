/*
 * The order and count of the listener's events in every kind of flow, against the mocked mobile
 * API: openAuthOtp exactly once per flow with the server's message, closeAuthOtp exactly once when
 * it ends, whatever the outcome; eventError once per rejection.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { SDK_ERRORS } from '../../src/protocol/index.js';
import { createHarness, rejectionOf } from './sdk-harness.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { nothingHappensFor, until } from '../support/until.js';

describe('SDK flow events (mocked Token Server)', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('accept: open → close, then resolves with the transaction id after the server confirmed', async () => {
    const h = await createHarness({ message: 'Log in to Demo Bank', browser: 'Firefox 128' });
    const profile = await h.enroll();
    const login = h.mock.startLogin();
    h.onegini.setEventContext('login screen');
    h.listener.action = { answer: 'accept' };

    const result = await h.onegini.userClient.mobileAuthWithOtp(login.qr);

    expect(result).to.equal(login.transactionId);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp']);
    const open = h.listener.events[0];
    if (open?.name !== 'openAuthOtp') throw new Error('no openAuthOtp');
    expect(open.context).to.equal('login screen');
    expect(open.message).to.equal('Log in to Demo Bank');
    expect(open.request).to.deep.include({
      transactionId: login.transactionId,
      siteName: 'Demo Bank',
      browser: { name: 'Firefox', version: '128' },
      os: { name: 'Windows', version: '10' },
      sameNetwork: true,
      presenceRequired: false,
      profile,
    });
    expect(open.request.expiresAt.getTime() - open.request.requestedAt.getTime()).to.equal(60_000);
    expect(h.mock.loginState(login.transactionId)).to.equal('accepted');
    expect(h.mock.calls.map((call) => call.endpoint)).to.deep.equal(['enroll', 'redeem', 'answer']);
  });

  it('resolves only after the server confirmed: still pending while the answer is on its way', async () => {
    const h = await createHarness();
    await h.enroll();
    const login = h.mock.startLogin();
    let settled = false;
    const pending = h.onegini.userClient.mobileAuthWithOtp(login.code).finally(() => {
      settled = true;
    });
    await h.listener.nextOpen();
    await nothingHappensFor(50);
    expect(settled, 'settled before any answer').to.equal(false);
    const accepted = h.callback.acceptAuthenticationRequest('confirm screen');
    expect(settled, 'settled before the server answered').to.equal(false);
    await accepted;
    expect(await pending).to.equal(login.transactionId);
    expect(h.listener.events.at(-1)).to.deep.equal({
      name: 'closeAuthOtp',
      context: 'confirm screen',
    });
  });

  it('deny: open → close → eventError, rejects with 9006, and the server recorded a denial', async () => {
    const h = await createHarness();
    await h.enroll();
    const login = h.mock.startLogin();
    h.listener.action = { answer: 'deny' };

    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));

    expect(error.code).to.equal(SDK_ERRORS.ACTION_CANCELED.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
    expect(h.mock.loginState(login.transactionId)).to.equal('denied');
  });

  it('expiry at redeem: no screen opens; only eventError, and 10100', async () => {
    const h = await createHarness({ scenario: 'expired' });
    await h.enroll();
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
    expect(h.listener.names).to.deep.equal(['eventError']);
  });

  it('expiry while the user decides: the accept is refused, close fires once, 10100', async () => {
    const h = await createHarness({ scenario: 'expire-before-answer' });
    await h.enroll();
    h.listener.action = { answer: 'accept' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
  });

  it('expiry with no answer at all: the flow ends by itself after expires_at, without a request', async () => {
    const h = await createHarness({ timeToLiveMs: 200 });
    await h.enroll();
    const started = performance.now();
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
    expect(performance.now() - started).to.be.greaterThan(200);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
    expect(h.mock.calls.map((call) => call.endpoint)).to.deep.equal(['enroll', 'redeem']);
    // Too late now: an answer after the end is "not in progress".
    const late = await rejectionOf(h.callback.acceptAuthenticationRequest());
    expect(late.code).to.equal(SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
  });

  it('replay: the same code a second time gets 9029 and opens no second screen', async () => {
    const h = await createHarness();
    await h.enroll();
    const login = h.mock.startLogin();
    h.listener.action = { answer: 'accept' };
    await h.onegini.userClient.mobileAuthWithOtp(login.qr);

    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));

    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
  });

  it('a code another phone redeemed: 9029, no screen', async () => {
    const h = await createHarness({ scenario: 'already-handled' });
    await h.enroll();
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code);
    expect(h.listener.names).to.deep.equal(['eventError']);
  });

  it('concurrent flows: a second code while one is open rejects at once with 8056; the first goes on', async () => {
    const h = await createHarness();
    await h.enroll();
    const first = h.mock.startLogin();
    const second = h.mock.startLogin();
    const pending = h.onegini.userClient.mobileAuthWithOtp(first.qr);
    await h.listener.nextOpen();

    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(second.qr));
    expect(error.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS.code);
    expect(h.mock.loginState(second.transactionId)).to.equal('pending');

    await h.callback.acceptAuthenticationRequest();
    expect(await pending).to.equal(first.transactionId);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'eventError', 'closeAuthOtp']);

    // Once the first has ended, the second code works.
    h.listener.action = { answer: 'accept' };
    expect(await h.onegini.userClient.mobileAuthWithOtp(second.qr)).to.equal(second.transactionId);
    expect(h.listener.names.filter((name) => name === 'openAuthOtp')).to.have.length(2);
    expect(h.listener.names.filter((name) => name === 'closeAuthOtp')).to.have.length(2);
  });

  it('two codes at the same moment: exactly one flow runs, the other gets 8056', async () => {
    const h = await createHarness();
    await h.enroll();
    h.listener.action = { answer: 'accept' };
    const results = await Promise.allSettled([
      h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr),
      h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr),
    ]);
    expect(results.map((result) => result.status)).to.deep.equal(['fulfilled', 'rejected']);
    const rejected = results[1];
    if (rejected.status !== 'rejected') throw new Error('expected a rejection');
    expect((rejected.reason as { code: number }).code).to.equal(
      SDK_ERRORS.MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS.code,
    );
    expect(h.mock.calls.filter((call) => call.endpoint === 'redeem')).to.have.length(1);
  });

  it('accept or deny outside a flow rejects with 8053, and sends nothing', async () => {
    const h = await createHarness();
    await h.enroll();
    const calls = h.mock.calls.length;
    expect((await rejectionOf(h.callback.acceptAuthenticationRequest())).code).to.equal(8053);
    expect((await rejectionOf(h.callback.denyAuthenticationRequest())).code).to.equal(8053);
    expect(h.mock.calls).to.have.length(calls);
    expect(h.listener.names).to.deep.equal([]);
  });

  it('accept while the code is still being redeemed, or a second accept, rejects with 8053', async () => {
    const h = await createHarness();
    await h.enroll();
    const pending = h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr);
    const early = await rejectionOf(h.callback.acceptAuthenticationRequest());
    expect(early.code).to.equal(SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
    await h.listener.nextOpen();
    const first = h.callback.acceptAuthenticationRequest();
    const second = await rejectionOf(h.callback.denyAuthenticationRequest());
    expect(second.code).to.equal(SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
    await first;
    await pending;
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp']);
    expect(h.mock.calls.filter((call) => call.endpoint === 'answer')).to.have.length(1);
  });

  it('number matching: the choices reach the screen; a missing number is a TypeError and the flow waits', async () => {
    const h = await createHarness({ scenario: 'number-matching', numberMatchCode: '67' });
    await h.enroll();
    const pending = h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr);
    const request = await h.listener.nextOpen();
    expect(request.numberMatchChoices).to.have.length(3);
    expect(request.numberMatchChoices).to.include('67');
    let typeError: unknown;
    try {
      await h.callback.acceptAuthenticationRequest(undefined, {});
    } catch (error) {
      typeError = error;
    }
    expect(typeError).to.be.instanceOf(TypeError);
    await h.callback.acceptAuthenticationRequest(undefined, { number: '67' });
    expect(await pending)
      .to.be.a('string')
      .and.not.equal('');
    const answer = h.mock.calls.at(-1)?.body;
    expect(answer).to.have.keys('answer', 'number', 'shown');
    expect(answer).to.deep.include({ answer: 'accept', number: '67' });
  });

  it('number matching: a wrong pick is refused by the server: 9006, close fires once', async () => {
    const h = await createHarness({ scenario: 'number-matching', numberMatchCode: '67' });
    await h.enroll();
    h.listener.action = {
      answer: 'accept',
      number: (request) => request.numberMatchChoices?.find((choice) => choice !== '67') ?? '',
    };
    const login = h.mock.startLogin();
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expect(error.code).to.equal(SDK_ERRORS.ACTION_CANCELED.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
    expect(h.mock.loginState(login.transactionId)).to.equal('denied');
  });

  it('a network failure while answering ends the flow: close once, 9001', async () => {
    const h = await createHarness();
    await h.enroll();
    const pending = h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr);
    await h.listener.nextOpen();
    h.mock.scenario = 'network-failure';
    await h.callback.acceptAuthenticationRequest();
    const error = await rejectionOf(pending);
    expect(error.code).to.equal(SDK_ERRORS.SERVER_NOT_REACHABLE.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
  });

  it('a listener that throws does not break the flow', async () => {
    const h = await createHarness();
    await h.enroll();
    const thrown: unknown[] = [];
    // Mocha fails a test on any uncaught error; take the report over for this test.
    const mochaOnError = window.onerror;
    window.onerror = (_message, _source, _line, _column, error) => {
      thrown.push(error);
      return true;
    };
    const original = h.listener.openAuthOtp.bind(h.listener);
    h.listener.openAuthOtp = (context, message, request) => {
      original(context, message, request);
      throw new Error('app bug');
    };
    h.listener.action = { answer: 'accept' };
    try {
      expect(await h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr)).to.be.a(
        'string',
      );
      await until(() => thrown.length === 1, 'the error the listener threw');
    } finally {
      window.onerror = mochaOnError;
    }
    expect((thrown[0] as Error).message).to.equal('app bug');
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp']);
  });
});
