/*
 * User verification on Accept (a platform passkey): when the phone links, the SDK makes a passkey
 * where the device has a platform authenticator; on Accept of a login that asks for it, the
 * system asks for the user's fingerprint or face, and the answer carries the passkey's
 * assertion over the login's challenge. A user not verified sends nothing, and may try again or
 * deny. The authenticator here is the mocks' FakePasskeyAuthenticator (real WebAuthn bodies, no
 * system prompt); the Token Server is the MSW mock.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import {
  SDK_ERRORS,
  userVerificationChallenge,
  type UserVerificationPolicy,
} from '../../src/protocol/index.js';
import {
  FakePasskeyAuthenticator,
  type FakePasskeyAuthenticatorOptions,
} from '../../src/mocks/index.js';
import {
  OneginiOtpAcceptDenyCallback,
  type OtpAuthenticationRequest,
} from '../../src/sdk/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { createHarness, rejectionOf, type Harness } from './sdk-harness.js';

/** A phone with (or without) a platform authenticator, linked and confirmed. */
async function linkedPhone(
  userVerification: UserVerificationPolicy,
  authenticatorOptions: FakePasskeyAuthenticatorOptions = {},
) {
  const authenticator = new FakePasskeyAuthenticator(authenticatorOptions);
  const h = await createHarness({ userVerification }, { passkeyAuthenticator: authenticator });
  const code = h.mock.enrollmentCode();
  const profile = await h.onegini.userClient.enrollMobileAuthentication(code);
  expect(h.mock.confirmLink(code), 'the website confirms the link').to.equal(true);
  return { h, authenticator, profile };
}

/** Scans a new login and waits for the confirmation screen; the login's outcome is `result`. */
async function scanned(h: Harness) {
  const login = h.mock.startLogin();
  const opened = h.listener.nextOpen();
  const result = h.onegini.userClient.mobileAuthWithOtp(login.qr).then(
    (transactionId) => ({ transactionId }),
    (error: unknown) => ({ error }),
  );
  const request: OtpAuthenticationRequest = await opened;
  return { login, request, result };
}

/** The endpoints the mock heard, in order. */
function callsOf(h: Harness): string[] {
  return h.mock.calls.map((call) => call.endpoint);
}

describe('user verification on Accept (passkeys)', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('refuses a passkey authenticator without its three methods (TypeError)', async () => {
    const h = await createHarness();
    let refusal: unknown;
    try {
      await h.onegini.startApplication(h.listener, {
        tokenServerUrl: h.mock.tokenServerUrl,
        passkeyAuthenticator: { isAvailable: () => Promise.resolve(true) } as never,
      });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).to.be.instanceOf(TypeError);
  });

  describe('linking', () => {
    it('makes a passkey right after the link, where the phone has a platform authenticator', async () => {
      const { h, authenticator, profile } = await linkedPhone('required');

      expect(profile.passkeySetup).to.deep.equal({ status: 'registered' });
      expect(profile.userVerifying).to.equal(true);
      expect(callsOf(h)).to.deep.equal(['enroll', 'passkeyOptions', 'registerPasskey']);
      expect(authenticator.prompts.map((prompt) => prompt.kind)).to.deep.equal(['register']);
      expect(h.mock.userVerifying(profile.deviceId), 'the website’s list says so').to.equal(true);
      const [listed] = await h.onegini.userClient.getUserProfiles();
      expect(listed?.userVerifying, 'the phone remembers its passkey').to.equal(true);
    });

    it('links a phone without a platform authenticator all the same, and says so', async () => {
      const { h, authenticator, profile } = await linkedPhone('required', { available: false });

      expect(profile.passkeySetup).to.deep.equal({ status: 'unavailable' });
      expect(profile.userVerifying).to.equal(false);
      expect(profile.compareCode).to.match(/^\d{6}$/);
      expect(callsOf(h), 'no passkey call').to.deep.equal(['enroll']);
      expect(authenticator.prompts).to.deep.equal([]);
    });

    it('links when the user cancels making the passkey, and makes it when they try again', async () => {
      const authenticator = new FakePasskeyAuthenticator();
      authenticator.userAction = 'cancel';
      const h = await createHarness({}, { passkeyAuthenticator: authenticator });
      const profile = await h.onegini.userClient.enrollMobileAuthentication(
        h.mock.enrollmentCode(),
      );

      expect(profile.passkeySetup.status).to.equal('cancelled');
      if (profile.passkeySetup.status !== 'cancelled') throw new Error('not cancelled');
      expect(profile.passkeySetup.error.code).to.equal(SDK_ERRORS.USER_NOT_VERIFIED.code);
      expect(profile.userVerifying).to.equal(false);
      expect(h.mock.userVerifying(profile.deviceId)).to.equal(false);

      authenticator.userAction = 'verify';
      const again = await h.onegini.userClient.registerPasskey(profile.profileId);
      expect(again).to.deep.equal({ status: 'registered' });
      expect((await h.onegini.userClient.getAuthenticatedUserProfile())?.userVerifying).to.equal(
        true,
      );
      expect(h.mock.userVerifying(profile.deviceId)).to.equal(true);
    });

    it('links when the Token Server refuses the passkey, and says why', async () => {
      const authenticator = new FakePasskeyAuthenticator();
      // An authenticator that answers another challenge than the server's.
      const register = authenticator.register.bind(authenticator);
      authenticator.register = (options) => register({ ...options, challenge: 'c3RhbGU' });
      const h = await createHarness({}, { passkeyAuthenticator: authenticator });
      const profile = await h.onegini.userClient.enrollMobileAuthentication(
        h.mock.enrollmentCode(),
      );

      expect(profile.passkeySetup.status).to.equal('failed');
      if (profile.passkeySetup.status !== 'failed') throw new Error('not failed');
      expect(profile.passkeySetup.error.code).to.equal(SDK_ERRORS.PASSKEY_REGISTRATION_FAILED.code);
      expect(profile.userVerifying).to.equal(false);
    });
  });

  describe('accepting a login that asks for it', () => {
    it('tells the screen before Accept, then sends the assertion over this login’s challenge', async () => {
      const { h, authenticator } = await linkedPhone('required');
      const { login, request, result } = await scanned(h);
      expect(request.userVerification).to.equal('required');
      expect(request.profile.userVerifying).to.equal(true);

      await h.callback.acceptAuthenticationRequest();

      expect(await result).to.deep.equal({ transactionId: login.transactionId });
      expect(h.mock.loginState(login.transactionId)).to.equal('accepted');
      const prompt = authenticator.prompts.at(-1);
      const answer = h.mock.calls.find((call) => call.endpoint === 'answer')?.body as {
        shown: string;
        user_verification?: { id: string };
      };
      expect(prompt?.kind).to.equal('verify');
      expect(prompt?.challenge).to.equal(
        await userVerificationChallenge(login.transactionId, answer.shown),
      );
      expect(prompt?.credentialId).to.equal(authenticator.credentialIds[0]);
      expect(answer.user_verification?.id).to.equal(authenticator.credentialIds[0]);
    });

    it('sends nothing when the user cancels the prompt: the request waits for another try', async () => {
      const { h, authenticator } = await linkedPhone('required');
      const { login, result } = await scanned(h);
      authenticator.userAction = 'cancel';

      const error = await rejectionOf(h.callback.acceptAuthenticationRequest());

      expect(error.code).to.equal(SDK_ERRORS.USER_NOT_VERIFIED.code);
      expect(callsOf(h)).to.not.include('answer');
      expect(h.listener.names, 'the screen stays up').to.deep.equal(['openAuthOtp']);
      expect(h.mock.loginState(login.transactionId)).to.equal('scanned');

      authenticator.userAction = 'verify';
      await h.callback.acceptAuthenticationRequest();
      expect(await result).to.deep.equal({ transactionId: login.transactionId });
    });

    it('sends nothing when the passkey is gone from the phone; the user can still deny', async () => {
      const { h, authenticator } = await linkedPhone('preferred');
      const { login, result } = await scanned(h);
      authenticator.forget();

      const error = await rejectionOf(h.callback.acceptAuthenticationRequest());
      expect(error.code).to.equal(SDK_ERRORS.USER_NOT_VERIFIED.code);
      expect(callsOf(h)).to.not.include('answer');

      await h.callback.denyAuthenticationRequest();
      const outcome = await result;
      expect('error' in outcome && (outcome.error as { code?: number }).code).to.equal(
        SDK_ERRORS.ACTION_CANCELED.code,
      );
      expect(h.mock.loginState(login.transactionId)).to.equal('denied');
    });

    it('on a phone without a passkey, a required login can only be denied: Accept sends nothing', async () => {
      const { h, authenticator } = await linkedPhone('required', { available: false });
      const { login, request, result } = await scanned(h);
      expect(request.userVerification).to.equal('required');
      expect(request.profile.userVerifying).to.equal(false);

      const error = await rejectionOf(h.callback.acceptAuthenticationRequest());
      expect(error.code).to.equal(SDK_ERRORS.AUTHENTICATOR_NOT_REGISTERED.code);
      expect(callsOf(h)).to.not.include('answer');
      expect(authenticator.prompts).to.deep.equal([]);

      await h.callback.denyAuthenticationRequest();
      expect('error' in (await result)).to.equal(true);
      expect(h.mock.loginState(login.transactionId)).to.equal('denied');
    });

    it('accepts a preferred login with a tap on a phone without a passkey', async () => {
      const { h, authenticator } = await linkedPhone('preferred', { available: false });
      const { login, request, result } = await scanned(h);
      expect(request.userVerification).to.equal('preferred');

      await h.callback.acceptAuthenticationRequest();

      expect(await result).to.deep.equal({ transactionId: login.transactionId });
      expect(authenticator.prompts).to.deep.equal([]);
    });

    it('asks for the fingerprint on a preferred login where the phone has a passkey', async () => {
      const { h, authenticator } = await linkedPhone('preferred');
      const { login, result } = await scanned(h);

      await h.callback.acceptAuthenticationRequest();

      expect(await result).to.deep.equal({ transactionId: login.transactionId });
      expect(authenticator.prompts.map((prompt) => prompt.kind)).to.deep.equal([
        'register',
        'verify',
      ]);
    });

    it('asks for nothing on a login that wants no verification, passkey or not', async () => {
      const { h, authenticator } = await linkedPhone('none');
      const { login, request, result } = await scanned(h);
      expect(request.userVerification).to.equal('none');

      await h.callback.acceptAuthenticationRequest();

      expect(await result).to.deep.equal({ transactionId: login.transactionId });
      expect(authenticator.prompts.map((prompt) => prompt.kind)).to.deep.equal(['register']);
      const answer = h.mock.calls.find((call) => call.endpoint === 'answer')?.body;
      expect(answer).to.not.have.property('user_verification');
    });

    it('ends the login with 10105 when the Token Server finds the user not verified', async () => {
      const { h, authenticator } = await linkedPhone('required');
      const { login, result } = await scanned(h);
      authenticator.userAction = 'not-verified';

      await h.callback.acceptAuthenticationRequest();

      const outcome = await result;
      if (!('error' in outcome)) throw new Error('the login went through');
      expect((outcome.error as { code?: number }).code).to.equal(
        SDK_ERRORS.USER_VERIFICATION_FAILED.code,
      );
      expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
      expect(h.mock.loginState(login.transactionId)).to.equal('scanned');
    });

    it('ends the login with 10105 in the mock’s user-verification-failed scenario', async () => {
      const { h } = await linkedPhone('required');
      h.mock.scenario = 'user-verification-failed';
      const { login, result } = await scanned(h);

      await h.callback.acceptAuthenticationRequest();

      const outcome = await result;
      if (!('error' in outcome)) throw new Error('the login went through');
      expect((outcome.error as { code?: number }).code).to.equal(
        SDK_ERRORS.USER_VERIFICATION_FAILED.code,
      );
      expect(h.mock.loginState(login.transactionId)).to.equal('scanned');
    });

    it('takes no second answer while the prompt is up', async () => {
      const { h } = await linkedPhone('required');
      const { login, result } = await scanned(h);

      const first = h.callback.acceptAuthenticationRequest();
      const second = await rejectionOf(
        new OneginiOtpAcceptDenyCallback(h.onegini).denyAuthenticationRequest(),
      );

      expect(second.code).to.equal(SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code);
      await first;
      expect(await result).to.deep.equal({ transactionId: login.transactionId });
    });
  });
});
