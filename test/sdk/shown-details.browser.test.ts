/*
 * What you see is what you sign: the answer carries `shownDigest()` of the redeem answer the
 * phone displayed, and the Token Server refuses an answer to other details (10103), so that its
 * record says what the user approved.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { SDK_ERRORS, shownDigest, type MobileRedeemResponse } from '../../src/protocol/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { createHarness, rejectionOf } from './sdk-harness.js';

/** A fetch between the phone and the Token Server that keeps (and may rewrite) redeem answers. */
function redeemProxy(rewrite: (details: MobileRedeemResponse) => MobileRedeemResponse) {
  const received: MobileRedeemResponse[] = [];
  const proxy: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const target = input instanceof Request ? input.url : input.toString();
    if (!target.endsWith('/redeem') || response.status !== 200) return response;
    const details = rewrite((await response.json()) as MobileRedeemResponse);
    received.push(details);
    return Response.json(details, { headers: { Date: response.headers.get('Date') ?? '' } });
  };
  return { proxy, received };
}

describe('the answer signs what the phone showed', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('sends the digest of the details it showed, and the login is accepted', async () => {
    const { proxy, received } = redeemProxy((details) => details);
    const h = await createHarness(
      {
        place: {
          city: 'Utrecht',
          country: 'NL',
          operator: null,
          distance_km: 35,
          credit: 'IP geolocation by DB-IP (db-ip.com)',
        },
      },
      { fetch: proxy },
    );
    await h.enroll();
    const login = h.mock.startLogin();
    h.listener.action = { answer: 'accept' };

    expect(await h.onegini.userClient.mobileAuthWithOtp(login.qr)).to.equal(login.transactionId);

    const [details] = received;
    if (details === undefined) throw new Error('no redeem answer');
    const answer = h.mock.calls.at(-1);
    expect(answer?.endpoint).to.equal('answer');
    expect(answer?.body).to.deep.equal({ answer: 'accept', shown: await shownDigest(details) });
  });

  it('a deny signs what it saw too', async () => {
    const h = await createHarness();
    await h.enroll();
    h.listener.action = { answer: 'deny' };
    const login = h.mock.startLogin();
    await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));
    expect(h.mock.calls.at(-1)?.body)
      .to.have.property('shown')
      .that.matches(/^[0-9a-f]{64}$/);
    expect(h.mock.loginState(login.transactionId)).to.equal('denied');
  });

  it('details changed on their way to the phone: the answer is refused (10103) and nothing is recorded', async () => {
    const { proxy } = redeemProxy((details) => ({
      ...details,
      message: 'Log in to see your parcel',
    }));
    const h = await createHarness({ message: 'Log in to Demo Bank' }, { fetch: proxy });
    await h.enroll();
    const login = h.mock.startLogin();
    h.listener.action = { answer: 'accept' };

    const error = await rejectionOf(h.onegini.userClient.mobileAuthWithOtp(login.qr));

    expect(error.code).to.equal(SDK_ERRORS.SHOWN_DETAILS_CHANGED.code);
    expect(h.listener.names).to.deep.equal(['openAuthOtp', 'closeAuthOtp', 'eventError']);
    expect(h.mock.loginState(login.transactionId)).to.equal('scanned');
    expect(h.mock.calls.at(-1)?.status).to.equal(400);
  });
});
