/*
 * Proof of presence: where the Token Server cannot tell that the phone is beside the browser
 * that asked, an accept returns a code; the SDK hands it to the listener's `showPresenceCode`
 * before `closeAuthOtp`, the user types it in that browser, and only then does the website log
 * it in. A relaying attacker would need the victim to read them the code.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { SDK_ERRORS } from '../../src/protocol/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { createHarness, rejectionOf } from './sdk-harness.js';

describe('proof of presence', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('the screen says so before Accept; the code comes after it, before closeAuthOtp', async () => {
    const h = await createHarness({ proofOfPresence: 'always' });
    await h.enroll();
    const login = h.mock.startLogin();
    h.onegini.setEventContext('login screen');
    h.listener.action = { answer: 'accept' };

    expect(await h.onegini.userClient.mobileAuthWithOtp(login.qr)).to.equal(login.transactionId);

    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'showPresenceCode', 'closeAuthOtp']);
    const [open, shown] = h.listener.events;
    if (open?.name !== 'openAuthOtp' || shown?.name !== 'showPresenceCode') {
      throw new Error(`events: ${h.listener.names.join(', ')}`);
    }
    expect(open.request.presenceRequired).to.equal(true);
    expect(shown.request).to.equal(open.request);
    expect(shown.context).to.equal('login screen');
    expect(shown.presenceCode).to.match(/^\d{6}$/);

    // The website waits for the browser's code; the phone's code logs it in.
    expect(h.mock.loginState(login.transactionId)).to.equal('confirm');
    expect(h.mock.provePresence(login.transactionId, shown.presenceCode)).to.equal('accepted');
  });

  it('no code on the same network when the type asks only otherwise, nor after a deny', async () => {
    const h = await createHarness({ proofOfPresence: 'unless_same_network', sameNetwork: true });
    await h.enroll();
    h.listener.action = { answer: 'accept' };
    const near = h.mock.startLogin();
    await h.onegini.userClient.mobileAuthWithOtp(near.qr);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp']);
    expect(h.mock.loginState(near.transactionId)).to.equal('accepted');

    h.listener.action = { answer: 'deny' };
    const denied = h.mock.startLogin(undefined, { proofOfPresence: 'always' });
    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(denied.qr));
    expect(error.code).to.equal(SDK_ERRORS.ACTION_CANCELED.code);
    expect(h.listener.names.filter((name) => name === 'showPresenceCode')).to.deep.equal([]);
    expect(h.mock.loginState(denied.transactionId)).to.equal('denied');
  });
});
