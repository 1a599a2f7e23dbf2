/*
 * The SDK against a real Token Server: the reference server in this process, behind a real HTTP
 * port, called with Node's fetch. Enrollment goes through the relying-party API's enrollment code,
 * as the website's "Link your phone" page does; logins start with initialize, as a website does.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import {
  decodeAuthenticationPayload,
  decodeEnrollmentPayload,
  encodeOneginiOtp,
  encodeQrText,
  SDK_ERRORS,
} from '../../src/protocol/index.js';
import { FakePasskeyAuthenticator } from '../../src/mocks/index.js';
import { MemoryDeviceStorage, Onegini, OneginiOtpAcceptDenyCallback } from '../../src/sdk/index.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { listedProfile } from './listed-profile.js';
import { RecordingListener } from './recording-listener.js';
import { rejection } from './rejection.js';

let fixture: TokenServerFixture;
let httpServer: Server;
let url: string;
let onegini: Onegini;
let listener: RecordingListener;
/** Added to the server's clock (and its Date header), to play a phone whose clock is off. */
let serverClockAheadMs = 0;

beforeEach(async () => {
  serverClockAheadMs = 0;
  fixture = new TokenServerFixture();
  fixture.now = Date.now();
  httpServer = await new Promise<Server>((resolve) => {
    const server = serve(
      {
        fetch: async (request: Request) => {
          // The fixture's clock follows real time (plus the offset under test), and so does Date.
          fixture.now = Date.now() + serverClockAheadMs;
          const response = await fixture.server.app.fetch(request);
          const headers = new Headers(response.headers);
          headers.set('Date', new Date(fixture.now).toUTCString());
          return new Response(response.body, { status: response.status, headers });
        },
        hostname: '127.0.0.1',
        port: 0,
      },
      () => {
        resolve(server);
      },
    ) as Server;
  });
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  onegini = new Onegini();
  listener = new RecordingListener(onegini);
  await onegini.startApplication(listener, {
    tokenServerUrl: url,
    storage: new MemoryDeviceStorage(),
    deviceName: 'Node test phone',
  });
});

afterEach(async () => {
  await new Promise<void>((resolve) => {
    httpServer.close(() => {
      resolve();
    });
  });
  await fixture.server.close();
});

async function enrollmentCode(
  userId = 'alice',
  displayName?: string,
  fields: Record<string, string> = {},
): Promise<string> {
  const form = new URLSearchParams({ user_id: userId, ...fields });
  if (displayName !== undefined) form.set('display_name', displayName);
  const response = await fixture.relyingParty('/enrollments', {
    method: 'POST',
    body: form.toString(),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { code: string }).code;
}

/** Links this phone to `userId`, and confirms the link as the website's user does. */
async function enroll(userId = 'alice') {
  const code = await enrollmentCode(userId);
  const profile = await onegini.userClient.enrollMobileAuthentication(code);
  const confirmed = await fixture.confirmLink(decodeEnrollmentPayload(code).enrollmentId, true);
  assert.equal(confirmed.body.status, 'accepted');
  return profile;
}

describe('SDK ↔ Token Server: enrollment', () => {
  it('keeps the name the website gave the account, to show instead of the user id', async () => {
    const profile = await onegini.userClient.enrollMobileAuthentication(
      await enrollmentCode('u-7f3a9c21', 'Alice Example'),
    );
    assert.equal(profile.userId, 'u-7f3a9c21');
    assert.equal(profile.displayName, 'Alice Example');
    const plain = await enroll('bob');
    assert.equal(plain.displayName, undefined);
    assert.equal('displayName' in plain, false);
  });

  it('links the device through the website’s enrollment code and keeps the profile', async () => {
    const { compareCode, passkeySetup, ...profile } = await enroll('alice@example.com');
    assert.match(compareCode, /^\d{6}$/);
    // Node has no platform authenticator: the phone links without a passkey.
    assert.deepEqual(passkeySetup, { status: 'unavailable' });
    assert.equal(profile.userId, 'alice@example.com');
    assert.equal(profile.siteName, 'Demo Bank');
    assert.equal(profile.tokenServerUrl, url);
    assert.match(profile.deviceId, /^[0-9a-f]{32}$/);
    assert.deepEqual(await onegini.userClient.getUserProfiles(), [profile]);
    assert.deepEqual(await onegini.userClient.getAuthenticatedUserProfile(), profile);
    const devices = await fixture.relyingParty('/users/alice%40example.com/devices');
    const list = (await devices.json()) as { devices: { device_id: string; name: string }[] };
    assert.deepEqual(
      list.devices.map((device) => [device.device_id, device.name]),
      [[profile.deviceId, 'Node test phone']],
    );
  });

  it('refuses a used enrollment code with 9016', async () => {
    const code = await enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    const error = await rejection(onegini.userClient.enrollMobileAuthentication(code));
    assert.equal(error.code, SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code);
    assert.equal((await onegini.userClient.getUserProfiles()).length, 1);
  });
});

describe('SDK ↔ Token Server: login with mobileAuthWithOtp', () => {
  it('accepts: resolves only after the server confirmed, and the website sees the login', async () => {
    const profile = listedProfile(await enroll());
    const started = await fixture.initialize({ message: 'Log in to Demo Bank, please' });
    listener.action = { answer: 'accept' };
    const result = await onegini.userClient.mobileAuthWithOtp(started.otp);
    assert.equal(result, started.transaction_id);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp']);
    const open = listener.events[0];
    assert.ok(open?.name === 'openAuthOtp');
    assert.equal(open.message, 'Log in to Demo Bank, please');
    assert.equal(open.request.siteName, 'Demo Bank');
    assert.deepEqual(open.request.profile, profile);
    const outcome = await fixture.result(started.transaction_id);
    assert.equal(outcome.body.is_authenticated, true);
    assert.equal(outcome.body.user_id, 'alice');
    assert.equal(outcome.body.status, 'accepted');
  });

  it('accepts the URL form and Onegini’s base64 JSON form of the same code', async () => {
    await enroll();
    listener.action = { answer: 'accept' };
    const first = await fixture.initialize();
    const asUrl = encodeQrText('https://scan.example/app/', decodeAuthenticationPayload(first.otp));
    assert.equal(await onegini.userClient.mobileAuthWithOtp(asUrl), first.transaction_id);
    const second = await fixture.initialize();
    const asOnegini = encodeOneginiOtp({
      transactionId: second.transaction_id,
      otp: second.code,
    });
    assert.equal(await onegini.userClient.mobileAuthWithOtp(asOnegini), second.transaction_id);
    assert.equal((await fixture.result(second.transaction_id)).body.is_authenticated, true);
  });

  it('denies: rejects with 9006, and the website sees not_accepted', async () => {
    await enroll();
    const started = await fixture.initialize();
    listener.action = { answer: 'deny' };
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.ACTION_CANCELED.code);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp', 'eventError']);
    const outcome = await fixture.result(started.transaction_id);
    assert.equal(outcome.body.is_authenticated, false);
    assert.deepEqual(
      (outcome.body.not_authenticated_reason as { reason: string } | undefined)?.reason,
      'not_accepted',
    );
  });

  it('number matching: the right number logs in, a wrong one is refused (9006, invalid_answer)', async () => {
    await enroll();
    const right = await fixture.initialize({ type: 'otp_match' });
    assert.ok(right.number_match_code !== undefined);
    listener.action = { answer: 'accept', number: () => right.number_match_code ?? '' };
    assert.equal(await onegini.userClient.mobileAuthWithOtp(right.otp), right.transaction_id);
    assert.equal((await fixture.result(right.transaction_id)).body.is_authenticated, true);

    const wrong = await fixture.initialize({ type: 'otp_match' });
    listener.action = {
      answer: 'accept',
      number: (request) =>
        request.numberMatchChoices?.find((choice) => choice !== wrong.number_match_code) ?? '',
    };
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(wrong.otp));
    assert.equal(error.code, SDK_ERRORS.ACTION_CANCELED.code);
    const outcome = await fixture.result(wrong.transaction_id);
    assert.equal(
      (outcome.body.not_authenticated_reason as { reason: string } | undefined)?.reason,
      'invalid_answer',
    );
  });

  it('a code used once is refused the second time with 9029, without opening a screen', async () => {
    await enroll();
    const started = await fixture.initialize();
    listener.action = { answer: 'accept' };
    await onegini.userClient.mobileAuthWithOtp(started.otp);
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp', 'eventError']);
  });

  it('expiry while the user decides: accept gets 10100, closeAuthOtp fires once', async () => {
    await enroll();
    const started = await fixture.initialize();
    const pending = onegini.userClient.mobileAuthWithOtp(started.otp);
    await listener.nextOpen();
    serverClockAheadMs = 61_000; // the request's 60 s run out on the server
    await new OneginiOtpAcceptDenyCallback(onegini).acceptAuthenticationRequest();
    const error = await rejection(pending);
    assert.equal(error.code, SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp', 'eventError']);
    assert.equal((await fixture.result(started.transaction_id)).body.status, 'expired');
  });

  it('a device the website revoked gets 9002', async () => {
    const profile = await enroll();
    const revoked = await fixture.relyingParty(`/devices/${profile.deviceId}`, {
      method: 'DELETE',
    });
    assert.equal(revoked.status, 204);
    const started = await fixture.initialize();
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.DEVICE_DEREGISTERED.code);
  });

  it('a phone clock 10 minutes off: learns the server’s time from Date and signs right', async () => {
    await enroll();
    serverClockAheadMs = 10 * 60_000;
    fixture.now = Date.now() + serverClockAheadMs;
    const started = await fixture.initialize();
    listener.action = { answer: 'accept' };
    assert.equal(await onegini.userClient.mobileAuthWithOtp(started.otp), started.transaction_id);
    assert.equal((await fixture.result(started.transaction_id)).body.is_authenticated, true);
  });

  it('with no enrolled user: 9021 and no request', async () => {
    const started = await fixture.initialize();
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
    assert.equal((await fixture.result(started.transaction_id)).body.status, 'pending');
  });

  it('deregisterUser forgets the profile: the next login has no user (9021)', async () => {
    const profile = await enroll();
    await onegini.userClient.deregisterUser(profile.profileId);
    assert.deepEqual(await onegini.userClient.getUserProfiles(), []);
    assert.equal(await onegini.userClient.getAuthenticatedUserProfile(), undefined);
    const started = await fixture.initialize();
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
  });

  it('second factor: a phone of another user gets 9021 from the server', async () => {
    await fixture.enrollDevice('alice'); // alice's own phone
    await enroll('bob');
    const started = await fixture.initialize({ type: 'second_factor', user_id: 'alice' });
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code);
  });
});

describe('SDK ↔ Token Server: a link the website confirms', () => {
  it('previews a code: the account, the site and the linking page’s browser; nothing changes', async () => {
    const code = await enrollmentCode('alice@example.com', 'Alice Example', {
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    });
    const { enrollmentId } = decodeEnrollmentPayload(code);
    const preview = await onegini.userClient.previewEnrollment(code);
    assert.equal(preview.siteName, 'Demo Bank');
    assert.equal(preview.userId, 'alice@example.com');
    assert.equal(preview.displayName, 'Alice Example');
    assert.equal(preview.browser?.name, 'Firefox');
    assert.ok(preview.expiresAt.getTime() > Date.now());
    assert.equal((await fixture.linkStatus(enrollmentId)).body.status, 'pending');
    assert.deepEqual(await onegini.userClient.getUserProfiles(), []);
    // The code still links, and the compare code is the one the linking page reads.
    const profile = await onegini.userClient.enrollMobileAuthentication(code);
    const status = await fixture.linkStatus(enrollmentId);
    assert.equal(status.body.status, 'confirm');
    assert.equal(status.body.compare_code, profile.compareCode);
    assert.equal(status.body.device_id, profile.deviceId);
  });

  it('previews a used code as 9016, and a code of the wrong kind as 10018 without a request', async () => {
    const code = await enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    const used = await rejection(onegini.userClient.previewEnrollment(code));
    assert.equal(used.code, SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code);
    const started = await fixture.initialize();
    const wrongKind = await rejection(onegini.userClient.previewEnrollment(started.otp));
    assert.equal(wrongKind.code, SDK_ERRORS.NOT_HANDLEABLE.code);
  });

  it('a phone whose link the website has not confirmed gets 10102 and keeps its profile', async () => {
    const code = await enrollmentCode();
    const profile = listedProfile(await onegini.userClient.enrollMobileAuthentication(code));
    const started = await fixture.initialize();
    listener.action = { answer: 'accept' };
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code);
    assert.deepEqual(listener.names, ['eventError']);
    assert.deepEqual(await onegini.userClient.getUserProfiles(), [profile]);
    assert.equal((await fixture.result(started.transaction_id)).body.status, 'pending');

    // The user compares the codes on the website: the same login code now works.
    await fixture.confirmLink(decodeEnrollmentPayload(code).enrollmentId, true);
    assert.equal(await onegini.userClient.mobileAuthWithOtp(started.otp), started.transaction_id);
  });

  it('a link the website’s user refused (the codes differ) is revoked: 9002', async () => {
    const code = await enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    const refused = await fixture.confirmLink(decodeEnrollmentPayload(code).enrollmentId, false);
    assert.equal(refused.body.status, 'denied');
    const started = await fixture.initialize();
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.DEVICE_DEREGISTERED.code);
  });
});

describe('SDK ↔ Token Server: what the phone showed, and proof of presence', () => {
  it('the answer signs what the phone showed; a proxy that changed the details gets 10103', async () => {
    // A proxy between phone and server rewrites the message the phone shows.
    await onegini.startApplication(listener, {
      tokenServerUrl: url,
      storage: new MemoryDeviceStorage(),
      deviceName: 'Node test phone',
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const target = input instanceof Request ? input.url : input.toString();
        if (!target.endsWith('/redeem') || response.status !== 200) return response;
        const details = (await response.json()) as Record<string, unknown>;
        return Response.json({ ...details, message: 'Log in to see your parcel' });
      },
    });
    await enroll();
    const started = await fixture.initialize();
    listener.action = { answer: 'accept' };
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.SHOWN_DETAILS_CHANGED.code);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp', 'eventError']);
    const outcome = await fixture.result(started.transaction_id);
    assert.equal(outcome.body.is_authenticated, false);
    assert.notEqual(outcome.body.status, 'accepted');
  });

  it('shows the presence code before closeAuthOtp; the browser types it and is logged in', async () => {
    await enroll();
    const started = await fixture.initialize({ type: 'otp_presence' });
    listener.action = { answer: 'accept' };
    assert.equal(await onegini.userClient.mobileAuthWithOtp(started.otp), started.transaction_id);
    assert.deepEqual(listener.names, ['openAuthOtp', 'showPresenceCode', 'closeAuthOtp']);
    const [open, shown] = listener.events;
    assert.ok(open?.name === 'openAuthOtp' && shown?.name === 'showPresenceCode');
    assert.equal(open.request.presenceRequired, true);
    assert.equal(shown.request, open.request);
    assert.match(shown.presenceCode, /^\d{6}$/);
    const waiting = await fixture.result(started.transaction_id);
    assert.equal(waiting.body.status, 'confirm');
    assert.equal(waiting.body.is_authenticated, false);
    const typed = await fixture.typePresenceCode(started.transaction_id, shown.presenceCode);
    assert.equal(typed.body.status, 'accepted');
    assert.equal(typed.body.is_authenticated, true);
  });

  it('says whether a login is a second factor after the password, for the advice on a refusal', async () => {
    await enroll('alice');
    listener.action = { answer: 'deny' };
    const secondFactor = await fixture.initialize({ type: 'second_factor', user_id: 'alice' });
    await rejection(onegini.userClient.mobileAuthWithOtp(secondFactor.otp));
    const passwordless = await fixture.initialize();
    await rejection(onegini.userClient.mobileAuthWithOtp(passwordless.otp));

    const requests = listener.events.flatMap((event) =>
      event.name === 'openAuthOtp' ? [event.request.secondFactor] : [],
    );
    assert.deepEqual(requests, [true, false]);
  });

  it('a login type without proof of presence shows no code', async () => {
    await enroll();
    const started = await fixture.initialize();
    listener.action = { answer: 'accept' };
    await onegini.userClient.mobileAuthWithOtp(started.otp);
    const open = listener.events[0];
    assert.ok(open?.name === 'openAuthOtp');
    assert.equal(open.request.presenceRequired, false);
    assert.equal(open.request.place, undefined);
    assert.deepEqual(listener.names, ['openAuthOtp', 'closeAuthOtp']);
  });
});

describe('SDK ↔ Token Server: user verification on Accept (passkeys)', () => {
  /** The scanner app's origin in the test config: where passkeys are made and used. */
  const APP_ORIGIN = 'https://scan.example';
  let authenticator: FakePasskeyAuthenticator;

  /** The phone as an app at APP_ORIGIN runs the SDK: its calls carry that Origin. */
  beforeEach(async () => {
    authenticator = new FakePasskeyAuthenticator({ origin: APP_ORIGIN });
    await onegini.startApplication(listener, {
      tokenServerUrl: url,
      storage: new MemoryDeviceStorage(),
      deviceName: 'Node test phone',
      passkeyAuthenticator: authenticator,
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Origin', APP_ORIGIN);
        return fetch(input, { ...init, headers });
      },
    });
  });

  async function userVerifyingOnTheWebsite(deviceId: string): Promise<boolean | undefined> {
    const response = await fixture.relyingParty('/users/alice/devices');
    const { devices } = (await response.json()) as {
      devices: { device_id: string; user_verifying?: boolean }[];
    };
    return devices.find((device) => device.device_id === deviceId)?.user_verifying;
  }

  it('registers the passkey when the phone links, and the website’s list says so', async () => {
    const profile = await enroll();
    assert.deepEqual(profile.passkeySetup, { status: 'registered' });
    assert.equal(profile.userVerifying, true);
    assert.equal(await userVerifyingOnTheWebsite(profile.deviceId), true);
  });

  it('a login that requires it: the verified user’s accept logs in', async () => {
    await enroll();
    const started = await fixture.initialize({ type: 'otp_verified' });
    listener.action = { answer: 'accept' };
    assert.equal(await onegini.userClient.mobileAuthWithOtp(started.otp), started.transaction_id);
    const open = listener.events[0];
    assert.ok(open?.name === 'openAuthOtp');
    assert.equal(open.request.userVerification, 'required');
    assert.equal((await fixture.result(started.transaction_id)).body.is_authenticated, true);
  });

  it('a user not verified sends nothing; the next try logs in', async () => {
    await enroll();
    const started = await fixture.initialize({ type: 'otp_verified_if_able' });
    const opened = listener.nextOpen();
    const flow = onegini.userClient.mobileAuthWithOtp(started.otp);
    await opened;
    authenticator.userAction = 'cancel';
    const callback = new OneginiOtpAcceptDenyCallback(onegini);
    const error = await rejection(callback.acceptAuthenticationRequest());
    assert.equal(error.code, SDK_ERRORS.USER_NOT_VERIFIED.code);
    assert.equal((await fixture.result(started.transaction_id)).body.status, 'scanned');
    authenticator.userAction = 'verify';
    await callback.acceptAuthenticationRequest();
    assert.equal(await flow, started.transaction_id);
  });

  it('an assertion without the user verified is refused with 10105, and nobody logs in', async () => {
    await enroll();
    const started = await fixture.initialize({ type: 'otp_verified' });
    authenticator.userAction = 'not-verified';
    listener.action = { answer: 'accept' };
    const error = await rejection(onegini.userClient.mobileAuthWithOtp(started.otp));
    assert.equal(error.code, SDK_ERRORS.USER_VERIFICATION_FAILED.code);
    assert.notEqual((await fixture.result(started.transaction_id)).body.is_authenticated, true);
  });

  it('a phone without an authenticator links, and can only deny a login that requires it', async () => {
    authenticator.available = false;
    const profile = await enroll();
    assert.deepEqual(profile.passkeySetup, { status: 'unavailable' });
    assert.equal(await userVerifyingOnTheWebsite(profile.deviceId), false);

    const required = await fixture.initialize({ type: 'otp_verified' });
    const opened = listener.nextOpen();
    const flow = onegini.userClient.mobileAuthWithOtp(required.otp);
    await opened;
    const callback = new OneginiOtpAcceptDenyCallback(onegini);
    const error = await rejection(callback.acceptAuthenticationRequest());
    assert.equal(error.code, SDK_ERRORS.AUTHENTICATOR_NOT_REGISTERED.code);
    await callback.denyAuthenticationRequest();
    assert.equal((await rejection(flow)).code, SDK_ERRORS.ACTION_CANCELED.code);

    const preferred = await fixture.initialize({ type: 'otp_verified_if_able' });
    listener.action = { answer: 'accept' };
    assert.equal(
      await onegini.userClient.mobileAuthWithOtp(preferred.otp),
      preferred.transaction_id,
    );
  });
});
