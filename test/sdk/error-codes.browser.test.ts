/*
 * Every code of SDK_ERRORS, produced the way an app meets it: each case makes the SDK fail in one
 * way and checks the OneginiError it rejects with. The last test fails when a code has no case,
 * so a new code in src/protocol cannot go untested (and undocumented: docs/sdk.md lists them).
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, it } from '#spec';
import {
  encodeCompactPayload,
  encodeOneginiOtp,
  SDK_ERRORS,
  type SdkErrorCode,
} from '../../src/protocol/index.js';
import {
  Onegini,
  OneginiHttpError,
  OneginiNetworkError,
  type OneginiError,
} from '../../src/sdk/index.js';
import { FakePasskeyAuthenticator } from '../../src/mocks/index.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import { RecordingListener } from './recording-listener.js';
import { createHarness, rejectionOf, type Harness } from './sdk-harness.js';

const covered = new Set<number>();

/** Checks the code and remembers it as covered. */
function expectCode(error: OneginiError, code: SdkErrorCode): void {
  expect(error.code, error.message).to.equal(code);
  expect(error.name)
    .to.be.a('string')
    .and.match(/^Onegini/);
  expect(error.message).to.be.a('string').and.not.equal('');
  covered.add(code);
}

function networkError(error: OneginiError): OneginiNetworkError {
  if (!(error instanceof OneginiNetworkError))
    throw new Error(`not a network error: ${error.name}`);
  return error;
}

function httpError(error: OneginiError): OneginiHttpError {
  if (!(error instanceof OneginiHttpError)) throw new Error(`not an HTTP error: ${error.name}`);
  return error;
}

/** A started harness with an enrolled user, and a login waiting to be scanned. */
async function enrolled(options: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness(options);
  await h.enroll();
  return { h, login: h.mock.startLogin() };
}

/** Makes the next call to `endpoint` answer with an error body. */
function answerWith(h: Harness, endpoint: 'redeem' | 'answer', status: number, code?: number) {
  mockServer.use(
    http.post(
      `${h.mock.tokenServerUrl}/api/mobile/v1/transactions/:id/${endpoint}`,
      () =>
        HttpResponse.json(
          { error: 'some_error', error_description: 'Mocked failure.', error_code: code },
          { status },
        ),
      { once: true },
    ),
  );
}

/** Makes the next passkey registration answer with an error body. */
function answerPasskeyWith(h: Harness, status: number, code: number) {
  mockServer.use(
    http.post(
      `${h.mock.tokenServerUrl}/api/mobile/v1/devices/:id/passkey`,
      () =>
        HttpResponse.json(
          { error: 'some_error', error_description: 'Mocked failure.', error_code: code },
          { status },
        ),
      { once: true },
    ),
  );
}

describe('every SDK error code', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('9000: no network connection (the browser says it is offline)', async () => {
    const { h, login } = await enrolled();
    h.mock.scenario = 'network-failure';
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
      expectCode(error, SDK_ERRORS.NETWORK_CONNECTIVITY_PROBLEM.code);
      expect(error).to.be.instanceOf(OneginiNetworkError);
      expect(networkError(error).reason).to.equal('offline');
    } finally {
      delete (navigator as unknown as Record<string, unknown>).onLine;
    }
  });

  it('9001: the Token Server cannot be reached', async () => {
    const { h, login } = await enrolled();
    h.mock.scenario = 'network-failure';
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.SERVER_NOT_REACHABLE.code);
    expect(networkError(error).reason).to.equal('unreachable');
  });

  it('9001: the Token Server does not answer in time (the request is aborted)', async () => {
    const h = await createHarness({}, { requestTimeoutMs: 300 });
    await h.enroll();
    // The Token Server holds the redeem until the test has seen the SDK give up waiting.
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    mockServer.use(
      http.post(`${h.mock.tokenServerUrl}/api/mobile/v1/transactions/:id/redeem`, async () => {
        await held;
        return HttpResponse.json({});
      }),
    );
    try {
      const error = await rejectionOf(
        h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr),
      );
      expectCode(error, SDK_ERRORS.SERVER_NOT_REACHABLE.code);
      expect(networkError(error).reason).to.equal('timeout');
    } finally {
      answer();
    }
  });

  it('9001: a gateway answers 503 for the Token Server', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'redeem', 503);
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.SERVER_NOT_REACHABLE.code);
    expect(httpError(error).status).to.equal(503);
  });

  it('9002: the website revoked this device', async () => {
    const { h, login } = await enrolled({ scenario: 'device-deregistered' });
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.DEVICE_DEREGISTERED.code);
    expect(error).to.be.instanceOf(OneginiHttpError);
    expect(httpError(error).status).to.equal(401);
  });

  it('9003: passed on when a Token Server reports the user deregistered', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'redeem', 401, SDK_ERRORS.USER_DEREGISTERED.code);
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.USER_DEREGISTERED.code);
  });

  it('9006: the user denied', async () => {
    const { h, login } = await enrolled();
    h.listener.action = { answer: 'deny' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.ACTION_CANCELED.code);
  });

  it('9007: enrolling while a login runs, deregistering or restarting during a flow', async () => {
    const { h, login } = await enrolled();
    const pending = h.onegini.userClient.mobileAuthWithOtp(login.qr);
    await h.listener.nextOpen();
    const enrolling = await rejectionOf(
      h.onegini.userClient.enrollMobileAuthentication(h.mock.enrollmentCode()),
    );
    expectCode(enrolling, SDK_ERRORS.ACTION_ALREADY_IN_PROGRESS.code);
    const profile = await h.onegini.userClient.getAuthenticatedUserProfile();
    const deregistering = await rejectionOf(
      h.onegini.userClient.deregisterUser(profile?.profileId ?? ''),
    );
    expectCode(deregistering, SDK_ERRORS.ACTION_ALREADY_IN_PROGRESS.code);
    const restarting = await rejectionOf(
      h.onegini.startApplication(h.listener, { tokenServerUrl: h.mock.tokenServerUrl }),
    );
    expectCode(restarting, SDK_ERRORS.ACTION_ALREADY_IN_PROGRESS.code);
    await h.callback.denyAuthenticationRequest();
    await rejectionOf(pending);

    // A login while a phone is being linked.
    const linking = h.onegini.userClient.enrollMobileAuthentication(h.mock.enrollmentCode());
    const loginDuringLink = await rejectionOf(
      h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr),
    );
    expectCode(loginDuringLink, SDK_ERRORS.ACTION_ALREADY_IN_PROGRESS.code);
    await linking;
  });

  it('9016: an enrollment code used already', async () => {
    const h = await createHarness();
    const code = h.mock.enrollmentCode();
    await h.onegini.userClient.enrollMobileAuthentication(code);
    const error = await rejectionOf(h.onegini.userClient.enrollMobileAuthentication(code));
    expectCode(error, SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code);
    expect(await h.onegini.userClient.getUserProfiles()).to.have.length(1);
  });

  it('9021: no user on this device (before any request), or the server says another user', async () => {
    const h = await createHarness();
    const none = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expectCode(none, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
    expect(h.fetched).to.deep.equal([]);
    await h.enroll();
    answerWith(h, 'redeem', 403, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
    const other = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expectCode(other, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
    const unknown = await rejectionOf(h.onegini.userClient.setAuthenticatedUserProfile('nope'));
    expectCode(unknown, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
  });

  it('9029: a code already handled', async () => {
    const { h, login } = await enrolled({ scenario: 'already-handled' });
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code);
  });

  it('9031: the phone clock is off and the server’s time cannot be read', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'redeem', 401, SDK_ERRORS.INVALID_DATETIME.code);
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.INVALID_DATETIME.code);
  });

  it('10000: an answer of the wrong shape, or a server failure', async () => {
    const { h, login } = await enrolled();
    mockServer.use(
      http.post(
        `${h.mock.tokenServerUrl}/api/mobile/v1/transactions/:id/redeem`,
        () => HttpResponse.json({ transaction_id: login.transactionId, message: 42 }),
        { once: true },
      ),
    );
    const malformed = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(malformed, SDK_ERRORS.GENERAL_ERROR.code);
    h.mock.scenario = 'server-error';
    const failed = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(failed, SDK_ERRORS.GENERAL_ERROR.code);
    expect(httpError(failed).status).to.equal(500);
  });

  it('10001: used before startApplication, or configured with an unusable URL', async () => {
    const onegini = new Onegini();
    const early = await rejectionOf(onegini.userClient.mobileAuthWithOtp('1'));
    expectCode(early, SDK_ERRORS.CONFIGURATION_ERROR.code);
    const insecure = await rejectionOf(
      onegini.startApplication(new RecordingListener(onegini), {
        tokenServerUrl: 'http://tokens.example.com',
      }),
    );
    expectCode(insecure, SDK_ERRORS.CONFIGURATION_ERROR.code);
    let typeError: unknown;
    try {
      await onegini.startApplication(JSON.parse('{}') as RecordingListener, {
        tokenServerUrl: 'https://a.b',
      });
    } catch (error) {
      typeError = error;
    }
    expect(typeError).to.be.instanceOf(TypeError);
  });

  it('10013: an unknown login request', async () => {
    const { h, login } = await enrolled();
    const forged = encodeCompactPayload({
      kind: 'authentication',
      format: 'compact',
      transactionId: '3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834',
      otp: login.otp,
    });
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(forged));
    expectCode(error, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code);
  });

  it('10015: the server refuses the request as invalid', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'redeem', 401, SDK_ERRORS.INVALID_REQUEST.code);
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.INVALID_REQUEST.code);
  });

  it('10018: a code that is not ours, or of the wrong kind, with no request made', async () => {
    const h = await createHarness();
    await h.enroll();
    const before = h.fetched.length;
    const texts = [
      '',
      'hello',
      'https://evil.example/#123',
      h.mock.enrollmentCode(),
      encodeOneginiOtp({ transactionId: '..', otp: 'abc' }),
    ];
    for (const text of texts) {
      const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(text));
      expectCode(error, SDK_ERRORS.NOT_HANDLEABLE.code);
    }
    const wrongKind = await rejectionOf(
      h.onegini.userClient.enrollMobileAuthentication(h.mock.startLogin().qr),
    );
    expectCode(wrongKind, SDK_ERRORS.NOT_HANDLEABLE.code);
    expect(h.fetched).to.have.length(before);
  });

  it('10100: the request expired', async () => {
    const { h, login } = await enrolled({ scenario: 'expired' });
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
  });

  it('10101: rate limited', async () => {
    const { h, login } = await enrolled();
    h.mock.scenario = 'rate-limited';
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.RATE_LIMITED.code);
    expect(httpError(error).status).to.equal(429);
  });

  it('10102: a phone whose link the website has not confirmed; its profile stays', async () => {
    const h = await createHarness();
    await h.onegini.userClient.enrollMobileAuthentication(h.mock.enrollmentCode());
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expectCode(error, SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code);
    expect(httpError(error).status).to.equal(403);
    expect(await h.onegini.userClient.getUserProfiles()).to.have.length(1);
  });

  it('10103: the details the phone showed are not those the server sent', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'answer', 400, SDK_ERRORS.SHOWN_DETAILS_CHANGED.code);
    h.listener.action = { answer: 'accept' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.SHOWN_DETAILS_CHANGED.code);
  });

  it('10104: an accept without the fingerprint or face that the login type requires', async () => {
    const { h, login } = await enrolled();
    answerWith(h, 'answer', 403, SDK_ERRORS.USER_VERIFICATION_REQUIRED.code);
    h.listener.action = { answer: 'accept' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.USER_VERIFICATION_REQUIRED.code);
    expect(httpError(error).status).to.equal(403);
  });

  it('10105: the Token Server finds the user not verified by the assertion', async () => {
    const passkeyAuthenticator = new FakePasskeyAuthenticator();
    const h = await createHarness({ userVerification: 'required' }, { passkeyAuthenticator });
    await h.enroll();
    passkeyAuthenticator.userAction = 'not-verified';
    h.listener.action = { answer: 'accept' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expectCode(error, SDK_ERRORS.USER_VERIFICATION_FAILED.code);
    expect(httpError(error).status).to.equal(401);
  });

  it('10106: the Token Server does not take the passkey; the phone links without it', async () => {
    const h = await createHarness({}, { passkeyAuthenticator: new FakePasskeyAuthenticator() });
    answerPasskeyWith(h, 400, SDK_ERRORS.PASSKEY_REGISTRATION_FAILED.code);
    const profile = await h.onegini.userClient.enrollMobileAuthentication(h.mock.enrollmentCode());
    if (profile.passkeySetup.status !== 'failed') throw new Error('the passkey was registered');
    expectCode(profile.passkeySetup.error, SDK_ERRORS.PASSKEY_REGISTRATION_FAILED.code);
    expect(httpError(profile.passkeySetup.error).status).to.equal(400);
  });

  it('9030: the user was not verified on the phone (cancelled); nothing was sent', async () => {
    const passkeyAuthenticator = new FakePasskeyAuthenticator();
    const h = await createHarness({ userVerification: 'required' }, { passkeyAuthenticator });
    await h.enroll();
    const flow = h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr);
    await h.listener.nextOpen();
    passkeyAuthenticator.userAction = 'cancel';
    expectCode(
      await rejectionOf(h.callback.acceptAuthenticationRequest()),
      SDK_ERRORS.USER_NOT_VERIFIED.code,
    );
    await h.callback.denyAuthenticationRequest();
    await rejectionOf(flow);
  });

  it('10007: a login that requires a fingerprint or face, on a phone without a passkey', async () => {
    const h = await createHarness({ userVerification: 'required' });
    await h.enroll();
    const flow = h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr);
    await h.listener.nextOpen();
    expectCode(
      await rejectionOf(h.callback.acceptAuthenticationRequest()),
      SDK_ERRORS.AUTHENTICATOR_NOT_REGISTERED.code,
    );
    await h.callback.denyAuthenticationRequest();
    await rejectionOf(flow);
  });

  it('8053: accept or deny with no request waiting, or a server that got no redeem', async () => {
    const { h, login } = await enrolled();
    expectCode(
      await rejectionOf(h.callback.acceptAuthenticationRequest()),
      SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code,
    );
    answerWith(h, 'answer', 409, SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
    h.listener.action = { answer: 'accept' };
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expectCode(error, SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
  });

  it('8056: another login is in progress', async () => {
    const { h, login } = await enrolled();
    const pending = h.onegini.userClient.mobileAuthWithOtp(login.qr);
    await h.listener.nextOpen();
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expectCode(error, SDK_ERRORS.MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS.code);
    await h.callback.denyAuthenticationRequest();
    await rejectionOf(pending);
  });

  // Runs last (tests run in order): every code above had its case.
  it('has a case for every code of SDK_ERRORS', () => {
    const missing = Object.entries(SDK_ERRORS)
      .filter(([, entry]) => !covered.has(entry.code))
      .map(([name, entry]) => `${entry.code} ${name}`);
    expect(missing, 'SDK error codes without a test').to.deep.equal([]);
  });
});
