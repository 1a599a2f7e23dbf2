/*
 * A link counts only once the website's user compared codes: the phone shows `compareCode`, the
 * linking page shows the same, and the user confirms there. Until then the phone's logins get
 * 10102, and the phone keeps its account (it is linked, only not confirmed); a link the user
 * refused is revoked (9002).
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { SDK_ERRORS } from '../../src/protocol/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { listedProfile } from './listed-profile.js';
import { createHarness, rejectionOf } from './sdk-harness.js';

describe('a phone link the website confirms', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('gives the phone the six digits the linking page shows', async () => {
    const h = await createHarness();
    const code = h.mock.enrollmentCode();
    const profile = await h.onegini.userClient.enrollMobileAuthentication(code);
    expect(profile.compareCode).to.match(/^\d{6}$/);
    expect(h.mock.enrollmentState(code)).to.deep.equal({
      status: 'confirm',
      deviceId: profile.deviceId,
      compareCode: profile.compareCode,
    });
    // The code is for the moment of linking: the profiles listed later do not hold it.
    expect(await h.onegini.userClient.getUserProfiles()).to.deep.equal([listedProfile(profile)]);
  });

  it('before the website confirmed: 10102, no screen, and the account stays on the phone', async () => {
    const h = await createHarness();
    const code = h.mock.enrollmentCode();
    const profile = listedProfile(await h.onegini.userClient.enrollMobileAuthentication(code));
    const login = h.mock.startLogin();
    h.listener.action = { answer: 'accept' };

    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));

    expect(error.code).to.equal(SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code);
    expect(error.codeName).to.equal('DEVICE_LINK_NOT_CONFIRMED');
    expect(h.listener.names).to.deep.equal(['eventError']);
    expect(await h.onegini.userClient.getUserProfiles()).to.deep.equal([profile]);
    expect(await h.onegini.userClient.getAuthenticatedUserProfile()).to.deep.equal(profile);
    expect(h.mock.loginState(login.transactionId)).to.equal('pending');

    // The user confirms on the website; the same phone, the same login code, now logs in.
    expect(h.mock.confirmLink(code, true)).to.equal(true);
    expect(await h.onegini.userClient.mobileAuthWithOtp(login.qr)).to.equal(login.transactionId);
  });

  it('a link the user refused on the website (the codes differ) is revoked: 9002', async () => {
    const h = await createHarness();
    const code = h.mock.enrollmentCode();
    await h.onegini.userClient.enrollMobileAuthentication(code);
    expect(h.mock.confirmLink(code, false)).to.equal(true);
    expect(h.mock.enrollmentState(code)?.status).to.equal('denied');
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(h.mock.startLogin().qr));
    expect(error.code).to.equal(SDK_ERRORS.DEVICE_DEREGISTERED.code);
  });
});
