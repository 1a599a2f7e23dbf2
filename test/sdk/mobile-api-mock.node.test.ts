/*
 * The SDK against the mocked mobile API (src/mocks) in Node with MSW's setupServer, as an app's
 * tests use it. That the mock answers and refuses exactly as the real server does is the
 * contract suite's part (test/contract/mobile-api-*.test.ts); here, the mock's own knobs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupServer } from 'msw/node';
import {
  MobileApiMock,
  type MockEnrollmentOptions,
  type MobileApiMockOptions,
} from '../../src/mocks/index.js';
import {
  decodeEnrollmentPayload,
  encodeCompactPayload,
  SDK_ERRORS,
  type RequesterPlace,
} from '../../src/protocol/index.js';
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
  /** Links the phone, and confirms the link as the website's user does. */
  const link = async (options: MockEnrollmentOptions = {}) => {
    const code = mock.enrollmentCode(options);
    const profile = await onegini.userClient.enrollMobileAuthentication(code);
    assert.equal(mock.confirmLink(code), true);
    return profile;
  };
  return { onegini, listener, link };
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

  it('serves the SDK: enroll, the website confirms, then a login accepted and confirmed', async () => {
    const mock = new MobileApiMock();
    const { onegini, listener, link } = await started(mock);
    await link();
    listener.action = { answer: 'accept' };
    const login = mock.startLogin();
    assert.equal(await onegini.userClient.mobileAuthWithOtp(login.qr), login.transactionId);
    assert.equal(mock.loginState(login.transactionId), 'accepted');
    assert.deepEqual(
      mock.calls.map((call) => `${call.endpoint} ${call.status}`),
      ['enroll 201', 'redeem 200', 'answer 200'],
    );
  });

  it('plays the website of a link: pending, confirm with the phone’s code, then accepted once', async () => {
    let now = Date.now();
    const mock = new MobileApiMock({ now: () => now });
    const { onegini } = await started(mock);
    const code = mock.enrollmentCode();
    assert.deepEqual(mock.enrollmentState(code), { status: 'pending', deviceId: null });
    assert.equal(mock.confirmLink(code), false, 'no phone used the code yet');
    const profile = await onegini.userClient.enrollMobileAuthentication(code);
    assert.deepEqual(mock.enrollmentState(code), {
      status: 'confirm',
      deviceId: profile.deviceId,
      compareCode: profile.compareCode,
    });
    now += 1_000;
    assert.equal(mock.confirmLink(code, true), true);
    assert.deepEqual(mock.enrollmentState(code), {
      status: 'accepted',
      deviceId: profile.deviceId,
    });
    assert.equal(mock.confirmLink(code, false), false, 'the website’s word is given once');
    assert.equal(mock.enrollmentState(code)?.status, 'accepted');
  });

  it('lets a link that the website does not confirm in time expire; the phone stays unconfirmed', async () => {
    let now = Date.now();
    const mock = new MobileApiMock({ now: () => now, enrollmentConfirmTimeToLiveMs: 60_000 });
    const { onegini } = await started(mock);
    const code = mock.enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    now += 60_000;
    assert.equal(mock.enrollmentState(code)?.status, 'expired');
    assert.equal(mock.confirmLink(code), false);
    const pending = await rejection(onegini.userClient.mobileAuthWithOtp(mock.startLogin().qr));
    assert.equal(pending.code, SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code);
  });

  it('confirms every link at once with autoConfirmLinks, for tests about logins alone', async () => {
    const mock = new MobileApiMock({ autoConfirmLinks: true });
    const { onegini, listener } = await started(mock);
    const code = mock.enrollmentCode();
    const profile = await onegini.userClient.enrollMobileAuthentication(code);
    assert.match(profile.compareCode, /^\d{6}$/);
    assert.equal(mock.enrollmentState(code)?.status, 'accepted');
    listener.action = { answer: 'accept' };
    const login = mock.startLogin();
    assert.equal(await onegini.userClient.mobileAuthWithOtp(login.qr), login.transactionId);
  });

  it('knows an enrollment by its code or its id; refuses text that is neither', () => {
    const mock = new MobileApiMock();
    const code = mock.enrollmentCode();
    const { enrollmentId, secret } = decodeEnrollmentPayload(code);
    assert.equal(mock.enrollmentState(enrollmentId)?.status, 'pending');
    assert.equal(mock.enrollmentState(code)?.status, 'pending');
    assert.equal(mock.enrollmentState('0123456789abcdef0123456789abcdef'), undefined);
    const otherSecret = secret.replace(/^./, (digit) => (digit === '0' ? '1' : '0'));
    const forged = encodeCompactPayload({
      kind: 'enrollment',
      format: 'compact',
      enrollmentId,
      secret: otherSecret,
    });
    assert.equal(mock.enrollmentState(forged), undefined, 'the id with another secret');
    assert.equal(mock.confirmLink(forged), false);
    assert.throws(() => mock.enrollmentState('hello'), TypeError);
    assert.throws(() => mock.confirmLink(code, 'yes' as unknown as boolean), TypeError);
    assert.equal(mock.enrollmentState(code)?.status, 'pending');
  });

  it('starts a login with its own number to match, which the phone is offered', async () => {
    const mock = new MobileApiMock();
    const { onegini, listener, link } = await started(mock);
    await link();
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
    const { onegini, listener, link } = await started(mock);
    const profile = await link({ userId: 'bob@example.com' });
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
    assert.equal(mock.enrollmentState(code)?.status, 'expired');
  });

  it('describes the requesting browser’s place as the test sets it (default: none)', async () => {
    const place: RequesterPlace = {
      city: 'Amsterdam',
      country: 'NL',
      operator: 'KPN B.V.',
      distance_km: null,
      credit: 'IP geolocation by DB-IP (db-ip.com)',
    };
    const mock = new MobileApiMock({ place });
    const { onegini, listener, link } = await started(mock);
    const preview = await onegini.userClient.previewEnrollment(mock.enrollmentCode());
    assert.deepEqual(preview.place, {
      city: 'Amsterdam',
      country: 'NL',
      operator: 'KPN B.V.',
      credit: 'IP geolocation by DB-IP (db-ip.com)',
    });
    await link();
    listener.action = { answer: 'accept' };
    await onegini.userClient.mobileAuthWithOtp(mock.startLogin().qr);
    const open = listener.events[0];
    assert.ok(open?.name === 'openAuthOtp');
    assert.deepEqual(open.request.place, preview.place);

    const unplaced = new MobileApiMock();
    const second = await started(unplaced);
    const nowhere = await second.onegini.userClient.previewEnrollment(unplaced.enrollmentCode());
    assert.equal(nowhere.place, undefined);
  });

  it('asks for proof of presence per option and per login: always, unless on the same network, never', async () => {
    const cases: [MobileApiMockOptions, boolean][] = [
      [{}, false],
      [{ proofOfPresence: 'always' }, true],
      [{ proofOfPresence: 'unless_same_network', sameNetwork: true }, false],
      [{ proofOfPresence: 'unless_same_network', sameNetwork: false }, true],
      [{ proofOfPresence: 'unless_same_network', sameNetwork: null }, true],
    ];
    for (const [options, required] of cases) {
      const mock = new MobileApiMock(options);
      const { onegini, listener, link } = await started(mock);
      await link();
      listener.action = { answer: 'accept' };
      const login = mock.startLogin();
      await onegini.userClient.mobileAuthWithOtp(login.qr);
      const open = listener.events[0];
      assert.ok(open?.name === 'openAuthOtp');
      assert.equal(open.request.presenceRequired, required, JSON.stringify(options));
      assert.equal(mock.loginState(login.transactionId), required ? 'confirm' : 'accepted');
    }
    const mock = new MobileApiMock({ proofOfPresence: 'always' });
    const { onegini, listener, link } = await started(mock);
    await link();
    listener.action = { answer: 'accept' };
    const login = mock.startLogin(undefined, { proofOfPresence: 'never' });
    await onegini.userClient.mobileAuthWithOtp(login.qr);
    assert.equal(mock.loginState(login.transactionId), 'accepted');
  });

  it('gives the browser three tries at the presence code, and a time to type it in', async () => {
    let now = Date.now();
    const mock = new MobileApiMock({
      now: () => now,
      proofOfPresence: 'always',
      presenceTimeToLiveMs: 30_000,
    });
    const { onegini, listener, link } = await started(mock);
    await link();
    listener.action = { answer: 'accept' };
    const codes: string[] = [];
    listener.showPresenceCode = (_context, code) => {
      codes.push(code);
    };

    const login = mock.startLogin();
    await onegini.userClient.mobileAuthWithOtp(login.qr);
    const wrong = codes[0] === '000000' ? '000001' : '000000';
    assert.equal(mock.provePresence(login.transactionId, wrong), 'confirm');
    assert.equal(mock.provePresence(login.transactionId, wrong), 'confirm');
    assert.equal(mock.provePresence(login.transactionId, wrong), 'denied');
    assert.equal(mock.provePresence(login.transactionId, codes[0] ?? ''), 'denied');

    const late = mock.startLogin();
    await onegini.userClient.mobileAuthWithOtp(late.qr);
    now += 30_000;
    assert.equal(mock.loginState(late.transactionId), 'expired');
    assert.equal(mock.provePresence(late.transactionId, codes[1] ?? ''), 'expired');

    const right = mock.startLogin();
    await onegini.userClient.mobileAuthWithOtp(right.qr);
    assert.equal(mock.provePresence(right.transactionId, codes[2] ?? ''), 'accepted');
    assert.equal(mock.provePresence(right.transactionId, codes[2] ?? ''), 'accepted');
    assert.throws(() => mock.provePresence(right.transactionId, '12345'), TypeError);
    assert.equal(mock.provePresence('unknown', '123456'), undefined);
  });

  it('refuses options and login options it cannot honour', () => {
    assert.throws(() => new MobileApiMock({ numberMatchCode: '7' }), TypeError);
    assert.throws(
      () => new MobileApiMock().startLogin(undefined, { numberMatchCode: 'ab' }),
      TypeError,
    );
    const badPlace = {
      city: 'Amsterdam',
      country: 'Netherlands',
      operator: null,
      distance_km: 3,
      credit: 'IP geolocation by DB-IP (db-ip.com)',
    };
    assert.throws(() => new MobileApiMock({ place: badPlace }), TypeError);
    const unknownRule = 'sometimes' as 'always';
    assert.throws(() => new MobileApiMock({ proofOfPresence: unknownRule }), TypeError);
    assert.throws(
      () => new MobileApiMock().startLogin(undefined, { proofOfPresence: unknownRule }),
      TypeError,
    );
  });
});
