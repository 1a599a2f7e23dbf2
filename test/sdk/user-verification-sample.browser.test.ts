/*
 * The user verification sample of docs/sdk.md (user-verification-sample.ts) runs as written, on
 * Onegini.instance, against the mocked Token Server and the mocks' software authenticator:
 * linking says what came of the passkey, the screen says what Accept asks for, and a user not
 * verified hears so while the request waits.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import {
  FakePasskeyAuthenticator,
  MobileApiMock,
  type MobileApiMockOptions,
} from '../../src/mocks/index.js';
import { MemoryDeviceStorage, Onegini, OneginiOtpAcceptDenyCallback } from '../../src/sdk/index.js';
import { expectNoUnhandledRequests, mockServer, startMockServer } from '../support/mock-server.js';
import { until } from '../support/until.js';
import {
  linkThisPhone,
  onAcceptTapped,
  screen,
  told,
  tryAgain,
  VerifyingEventListener,
} from './user-verification-sample.js';

let workerStarted = false;

/** The app started on Onegini.instance, over a fresh mock, with `authenticator`. */
async function startApp(
  authenticator: FakePasskeyAuthenticator,
  options: MobileApiMockOptions = {},
): Promise<MobileApiMock> {
  const mock = new MobileApiMock({ autoConfirmLinks: true, ...options });
  if (workerStarted) mockServer.resetHandlers(...mock.handlers);
  else await startMockServer(...mock.handlers);
  workerStarted = true;
  await Onegini.instance.startApplication(new VerifyingEventListener(), {
    tokenServerUrl: mock.tokenServerUrl,
    storage: new MemoryDeviceStorage(),
    passkeyAuthenticator: authenticator,
  });
  told.length = 0;
  return mock;
}

describe('the user verification sample, as docs/sdk.md shows it', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('links, then asks for the fingerprint on Accept; not verified, the user hears so and tries again', async () => {
    const authenticator = new FakePasskeyAuthenticator();
    const mock = await startApp(authenticator, { userVerification: 'required' });
    await linkThisPhone(mock.enrollmentCode());
    expect(told).to.have.length(1);

    const login = mock.startLogin();
    const outcome = Onegini.instance.userClient.mobileAuthWithOtp(login.qr);
    await until(() => screen.accept !== undefined, 'the confirmation screen');
    expect(screen.accept).to.equal('fingerprint');

    authenticator.userAction = 'cancel';
    await onAcceptTapped('screen');
    expect(told.at(-1)).to.equal('Not verified: try again or deny.');
    expect(mock.loginState(login.transactionId)).to.equal('scanned');

    authenticator.userAction = 'verify';
    await onAcceptTapped('screen');
    expect(await outcome).to.equal(login.transactionId);
  });

  it('tells the user when the phone has no authenticator, and offers deny only', async () => {
    const mock = await startApp(new FakePasskeyAuthenticator({ available: false }), {
      userVerification: 'required',
    });
    await linkThisPhone(mock.enrollmentCode());
    expect(told.at(-1)).to.match(/can't check your fingerprint or face/);

    const outcome = Onegini.instance.userClient.mobileAuthWithOtp(mock.startLogin().qr);
    await until(() => screen.accept !== undefined, 'the confirmation screen');
    expect(screen.accept).to.equal('deny only');
    await onAcceptTapped('screen');
    expect(told.at(-1)).to.match(/cannot give: deny/);
    await new OneginiOtpAcceptDenyCallback().denyAuthenticationRequest();
    await outcome.then(
      () => expect.fail('the login went through'),
      () => undefined,
    );
  });

  it('offers to make the passkey again after a cancel, and that works', async () => {
    const authenticator = new FakePasskeyAuthenticator();
    authenticator.userAction = 'cancel';
    const mock = await startApp(authenticator);
    await linkThisPhone(mock.enrollmentCode());
    expect(tryAgain).to.be.a('function');

    authenticator.userAction = 'verify';
    expect(await tryAgain?.()).to.deep.equal({ status: 'registered' });
    expect(
      (await Onegini.instance.userClient.getAuthenticatedUserProfile())?.userVerifying,
    ).to.equal(true);
  });
});
