/*
 * The SDK against the mocked mobile API (src/mocks) in Node with MSW's setupServer, as an app's
 * tests use it. That the mock answers and refuses exactly as the real server does is the
 * contract suite's part (test/contract/mobile-api-*.test.ts); here, the mock's own knobs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupServer } from 'msw/node';
import { MobileApiMock } from '../../src/mocks/index.js';
import { SDK_ERRORS } from '../../src/protocol/index.js';
import { MemoryDeviceStorage, Onegini } from '../../src/sdk/index.js';
import { RecordingListener } from './recording-listener.js';
import { rejection } from './rejection.js';

const server = setupServer();
before(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
after(() => {
  server.close();
});

async function started(mock: MobileApiMock) {
  server.resetHandlers(...mock.handlers);
  const onegini = new Onegini();
  const listener = new RecordingListener(onegini);
  await onegini.startApplication(listener, {
    tokenServerUrl: mock.tokenServerUrl,
    storage: new MemoryDeviceStorage(),
  });
  return { onegini, listener };
}

describe('MobileApiMock in Node (msw/node)', () => {
  it('gives the account a display name; the SDK keeps one it may show and drops one it must not', async () => {
    const named = new MobileApiMock({ displayName: 'Alice Example' });
    const { onegini } = await started(named);
    const profile = await onegini.userClient.enrollMobileAuthentication(named.enrollmentCode());
    assert.equal(profile.displayName, 'Alice Example');
    // A server that sends a name with a right-to-left override: the phone is linked all the
    // same (the server linked it), and shows the user id instead.
    const misleading = new MobileApiMock({ displayName: 'moc.knab@\u202Eeciffo' });
    const second = await started(misleading);
    const linked = await second.onegini.userClient.enrollMobileAuthentication(
      misleading.enrollmentCode(),
    );
    assert.equal(linked.displayName, undefined);
    assert.equal(linked.userId, 'alice@example.com');
  });

  it('serves the SDK: enroll, then a login accepted and confirmed', async () => {
    const mock = new MobileApiMock();
    const { onegini, listener } = await started(mock);
    await onegini.userClient.enrollMobileAuthentication(mock.enrollmentCode());
    listener.action = { answer: 'accept' };
    const login = mock.startLogin();
    assert.equal(await onegini.userClient.mobileAuthWithOtp(login.qr), login.transactionId);
    assert.equal(mock.loginState(login.transactionId), 'accepted');
    assert.deepEqual(
      mock.calls.map((call) => `${call.endpoint} ${call.status}`),
      ['enroll 201', 'redeem 200', 'answer 200'],
    );
  });

  it('starts a login with its own number to match, which the phone is offered', async () => {
    const mock = new MobileApiMock();
    const { onegini, listener } = await started(mock);
    await onegini.userClient.enrollMobileAuthentication(mock.enrollmentCode());
    const login = mock.startLogin(undefined, { numberMatchCode: '57' });
    assert.equal(login.numberMatchCode, '57');
    listener.action = { answer: 'accept', number: () => '57' };
    assert.equal(await onegini.userClient.mobileAuthWithOtp(login.qr), login.transactionId);
    const open = listener.events[0];
    assert.ok(open?.name === 'openAuthOtp');
    assert.ok(open.request.numberMatchChoices?.includes('57'));
    // The next login has no number, as the scenario has none.
    const plain = mock.startLogin();
    assert.equal(await onegini.userClient.mobileAuthWithOtp(plain.qr), plain.transactionId);
  });

  it('refuses a second-factor login for another user with 9021, and a revoked phone with 9002', async () => {
    const mock = new MobileApiMock();
    const { onegini, listener } = await started(mock);
    const profile = await onegini.userClient.enrollMobileAuthentication(
      mock.enrollmentCode({ userId: 'bob@example.com' }),
    );
    assert.equal(profile.userId, 'bob@example.com');
    listener.action = { answer: 'accept' };
    const forAlice = mock.startLogin(undefined, { userId: 'alice@example.com' });
    const wrongUser = await rejection(onegini.userClient.mobileAuthWithOtp(forAlice.qr));
    assert.equal(wrongUser.code, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);

    assert.equal(mock.revokeDevice(profile.deviceId), true);
    const revoked = await rejection(onegini.userClient.mobileAuthWithOtp(mock.startLogin().qr));
    assert.equal(revoked.code, SDK_ERRORS.DEVICE_DEREGISTERED.code);
  });

  it('lets an enrollment code expire after enrollmentTimeToLiveMs (10100)', async () => {
    let now = Date.now();
    const mock = new MobileApiMock({ now: () => now, enrollmentTimeToLiveMs: 60_000 });
    const { onegini } = await started(mock);
    const code = mock.enrollmentCode();
    now += 60_000;
    const expired = await rejection(onegini.userClient.enrollMobileAuthentication(code));
    assert.equal(expired.code, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
  });

  it('refuses a number to match that is not two digits', () => {
    assert.throws(() => new MobileApiMock({ numberMatchCode: '7' }), TypeError);
    assert.throws(
      () => new MobileApiMock().startLogin(undefined, { numberMatchCode: 'ab' }),
      TypeError,
    );
  });
});
