/*
 * The mocked mobile API (src/mocks) in Node with MSW's setupServer: the SDK works against it as
 * against the real server, and the mock refuses what the real server refuses (bad signature,
 * replayed nonce, stale clock, unknown device), so tests against it can fail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupServer } from 'msw/node';
import { MobileApiMock } from '../../src/mocks/index.js';
import { decodeEnrollmentPayload, SDK_ERRORS } from '../../src/protocol/index.js';
import { MemoryDeviceStorage, Onegini } from '../../src/sdk/index.js';
import { createTestDevice } from '../support/test-device.js';
import { RecordingListener } from './recording-listener.js';

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

/** A test phone enrolled through the mock, signing on its own (not through the SDK). */
async function enrolledTestDevice(mock: MobileApiMock) {
  const device = await createTestDevice();
  const { enrollmentId, secret } = decodeEnrollmentPayload(mock.enrollmentCode());
  const response = await fetch(
    await device.signedRequest(
      `${mock.tokenServerUrl}/api/mobile/v1/enrollments/${enrollmentId}`,
      { secret, public_key: device.publicJwk, device_name: 'Test phone' },
      { anonymous: true },
    ),
  );
  assert.equal(response.status, 201);
  device.deviceId = ((await response.json()) as { device_id: string }).device_id;
  return device;
}

async function errorCode(response: Response): Promise<number | undefined> {
  return ((await response.json()) as { error_code?: number }).error_code;
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

  it('refuses a replayed request (same nonce) with 10015, like the real server', async () => {
    const mock = new MobileApiMock();
    server.resetHandlers(...mock.handlers);
    const device = await enrolledTestDevice(mock);
    const login = mock.startLogin();
    const request = await device.signedRequest(
      `${mock.tokenServerUrl}/api/mobile/v1/transactions/${login.transactionId}/redeem`,
      { otp: login.otp },
    );
    const replay = request.clone();
    assert.equal((await fetch(request)).status, 200);
    const replayed = await fetch(replay);
    assert.equal(replayed.status, 401);
    assert.equal(await errorCode(replayed), SDK_ERRORS.INVALID_REQUEST.code);
  });

  it('lets the phone that redeemed ask again (a lost response), and no other phone', async () => {
    const mock = new MobileApiMock();
    server.resetHandlers(...mock.handlers);
    const phone = await enrolledTestDevice(mock);
    const otherPhone = await enrolledTestDevice(mock);
    const login = mock.startLogin();
    const url = `${mock.tokenServerUrl}/api/mobile/v1/transactions/${login.transactionId}/redeem`;
    const first = await fetch(await phone.signedRequest(url, { otp: login.otp }));
    const again = await fetch(await phone.signedRequest(url, { otp: login.otp }));
    const other = await fetch(await otherPhone.signedRequest(url, { otp: login.otp }));
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), await first.json());
    assert.equal(other.status, 409);
    assert.equal(
      await errorCode(other),
      SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code,
    );
  });

  it('refuses a signature by another key, a changed body, and a stale clock', async () => {
    const mock = new MobileApiMock();
    server.resetHandlers(...mock.handlers);
    const device = await enrolledTestDevice(mock);
    const impostor = await createTestDevice();
    impostor.deviceId = device.deviceId;
    const login = mock.startLogin();
    const url = `${mock.tokenServerUrl}/api/mobile/v1/transactions/${login.transactionId}/redeem`;

    const forged = await fetch(await impostor.signedRequest(url, { otp: login.otp }));
    assert.equal(forged.status, 401);
    assert.equal(await errorCode(forged), SDK_ERRORS.INVALID_REQUEST.code);

    const signed = await device.signedRequest(url, { otp: login.otp });
    const changed = await fetch(
      new Request(signed, { body: JSON.stringify({ otp: '0'.repeat(32) }) }),
    );
    assert.equal(changed.status, 401);

    const stale = await fetch(
      await device.signedRequest(url, { otp: login.otp }, { timestamp: Date.now() - 600_000 }),
    );
    assert.equal(stale.status, 401);
    assert.equal(await errorCode(stale), SDK_ERRORS.INVALID_DATETIME.code);
    assert.ok(stale.headers.get('Date'));

    assert.equal(mock.loginState(login.transactionId), 'pending');
  });

  it('refuses an unknown device with 9002 and a wrong OTP with 10013', async () => {
    const mock = new MobileApiMock();
    server.resetHandlers(...mock.handlers);
    const stranger = await createTestDevice();
    stranger.deviceId = '0123456789abcdef0123456789abcdef';
    const login = mock.startLogin();
    const url = `${mock.tokenServerUrl}/api/mobile/v1/transactions/${login.transactionId}/redeem`;
    const unknown = await fetch(await stranger.signedRequest(url, { otp: login.otp }));
    assert.equal(await errorCode(unknown), SDK_ERRORS.DEVICE_DEREGISTERED.code);

    const device = await enrolledTestDevice(mock);
    const wrong = await fetch(await device.signedRequest(url, { otp: 'f'.repeat(32) }));
    assert.equal(wrong.status, 404);
    assert.equal(await errorCode(wrong), SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code);
  });
});
