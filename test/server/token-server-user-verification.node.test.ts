// User verification on Accept (issue 18, item 1): a phone registers a platform passkey as it
// links, and an accept of a type that asks for it carries an assertion over the login, so that
// whoever picks up an unlocked phone cannot log anyone in with a tap. Against the Token Server,
// with real WebAuthn crypto from a software authenticator.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  MOBILE_API_REFUSALS,
  shownDigest,
  userVerificationChallenge,
  type MobileApiRefusalCode,
  type MobileRedeemResponse,
  type PasskeyAssertion,
  type PasskeyOptionsResponse,
} from '../../src/protocol/index.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { PASSKEY_CHALLENGE_TIME_TO_LIVE_MS } from '../../src/server/token-server/passkey-registration.js';
import { SoftwareAuthenticator, type Ceremony } from '../support/software-authenticator.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';
import { APP_ORIGIN, BASE, TokenServerFixture } from './token-server-fixture.js';

let store: MemoryStore;
let fixture: TokenServerFixture;
let phone: TestDevice;
beforeEach(async () => {
  store = new MemoryStore();
  fixture = new TokenServerFixture(store);
  phone = await fixture.enrollDevice('alice');
});
afterEach(async () => {
  await fixture.server.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A signed call of `device`, from the app's origin unless told otherwise (null: none). */
async function fromPhone(
  device: TestDevice,
  path: string,
  body: unknown,
  origin: string | null = APP_ORIGIN,
): Promise<Answer> {
  const request = await device.signedRequest(`${BASE}/api/mobile/v1${path}`, body, {
    timestamp: fixture.now,
  });
  const headers = new Headers(request.headers);
  if (origin !== null) headers.set('Origin', origin);
  const response = await fixture.fetch(new Request(request, { headers }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function expectRefusal(answer: Answer, refusal: MobileApiRefusalCode): void {
  const entry = MOBILE_API_REFUSALS[refusal];
  assert.deepEqual(
    { status: answer.status, error: answer.body.error, error_code: answer.body.error_code },
    { status: entry.status, error: entry.error, error_code: entry.errorCode },
    JSON.stringify(answer.body),
  );
}

/** The app asks for the options of its passkey, as the SDK does right after linking. */
async function passkeyOptions(device: TestDevice, origin: string | null = APP_ORIGIN) {
  return fromPhone(device, `/devices/${device.deviceId}/passkey/options`, {}, origin);
}

/** Options that the server gave; fails the test otherwise. */
async function optionsFor(device: TestDevice): Promise<PasskeyOptionsResponse['options']> {
  const answered = await passkeyOptions(device);
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  return (answered.body as unknown as PasskeyOptionsResponse).options;
}

/** The phone makes a passkey with `authenticator` for fresh options, and sends it. */
async function registerPasskey(
  device: TestDevice,
  authenticator: SoftwareAuthenticator,
  ceremony: Partial<Ceremony> = {},
): Promise<Answer> {
  const options = await optionsFor(device);
  const registration = authenticator.register({
    challenge: options.challenge,
    origin: APP_ORIGIN,
    rpId: options.rp.id,
    ...ceremony,
  });
  return fromPhone(device, `/devices/${device.deviceId}/passkey`, { registration });
}

/** A phone linked to `userId` with a passkey that verifies its user. */
async function verifyingPhone(userId = 'alice') {
  const device = await fixture.enrollDevice(userId);
  const authenticator = new SoftwareAuthenticator();
  const registered = await registerPasskey(device, authenticator);
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  return { device, authenticator };
}

/** A login of `type` that `device` has scanned. */
async function scanned(device: TestDevice, type: string) {
  const login = await fixture.initialize({ type });
  const redeemed = await fromPhone(device, `/transactions/${login.transaction_id}/redeem`, {
    otp: login.code,
  });
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  const details = redeemed.body as unknown as MobileRedeemResponse;
  const shown = await shownDigest(details);
  const id = login.transaction_id;
  return {
    id,
    details,
    shown,
    /** The assertion an authenticator makes for this login, as the app asks for it. */
    assertion: async (
      authenticator: SoftwareAuthenticator,
      ceremony: Partial<Ceremony> & { counter?: number } = {},
    ) =>
      authenticator.assert({
        challenge: await userVerificationChallenge(id, shown),
        origin: APP_ORIGIN,
        ...ceremony,
      }),
    answer: (answer: 'accept' | 'deny', userVerification?: PasskeyAssertion) =>
      fromPhone(device, `/transactions/${id}/answer`, {
        answer,
        shown,
        ...(userVerification === undefined ? {} : { user_verification: userVerification }),
      }),
    status: async () => (await fixture.result(id)).body.status,
  };
}

/** What the website's device list says of a phone. */
async function listed(device: TestDevice): Promise<Record<string, unknown> | undefined> {
  const response = await fixture.relyingParty('/users/alice/devices');
  const { devices } = (await response.json()) as { devices: Record<string, unknown>[] };
  return devices.find((entry) => entry.device_id === device.deviceId);
}

describe('a phone’s passkey, made as it links', () => {
  it('is asked for a platform passkey that verifies its user, for the app’s host, under an opaque handle', async () => {
    const options = await optionsFor(phone);
    assert.deepEqual(options.rp, { id: 'scan.example', name: 'Demo Bank' });
    assert.deepEqual(options.authenticatorSelection, {
      authenticatorAttachment: 'platform',
      userVerification: 'required',
      residentKey: 'preferred',
      requireResidentKey: false,
    });
    assert.equal(options.user.name, 'alice');
    assert.notEqual(Buffer.from(options.user.id, 'base64url').toString(), 'alice');
    assert.match(options.challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(options.excludeCredentials, []);
    assert.ok(options.pubKeyCredParams.some((param) => param.alg === -7));
  });

  it('is registered under the account’s display name when the website gave one', async () => {
    const enrollment = await fixture.startEnrollment('u-1842', { display_name: 'Alice Smith' });
    const device = await createTestDevice();
    const linked = await fixture.completeEnrollment(device, enrollment);
    device.deviceId = ((await linked.json()) as { device_id: string }).device_id;
    const options = await optionsFor(device);
    assert.equal(options.user.name, 'Alice Smith');
    assert.equal(options.user.displayName, 'Alice Smith');
  });

  it('is kept when it verifies, and the website’s device list says the phone verifies its user', async () => {
    assert.equal((await listed(phone))?.user_verifying, false);
    const authenticator = new SoftwareAuthenticator();
    const registered = await registerPasskey(phone, authenticator);
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.deepEqual(registered.body, { user_verifying: true });
    assert.equal((await listed(phone))?.user_verifying, true);
    const kept = (await store.getDevice(phone.deviceId))?.passkey;
    assert.equal(kept?.credentialId, authenticator.credentialId);
    assert.deepEqual(kept.transports, ['internal']);
    // Asked again (a phone that lost its passkey, say), the options name the one it has.
    assert.deepEqual((await optionsFor(phone)).excludeCredentials, [
      { id: authenticator.credentialId, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('can be made while the website has not confirmed the link yet', async () => {
    const pending = await fixture.enrollPendingDevice('alice');
    const registered = await registerPasskey(pending, new SoftwareAuthenticator());
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  it('is replaced by a new one: the old one accepts nothing more', async () => {
    const { device, authenticator: old } = await verifyingPhone();
    const replacement = new SoftwareAuthenticator();
    assert.equal((await registerPasskey(device, replacement)).status, 200);
    const login = await scanned(device, 'otp_verified');
    expectRefusal(
      await login.answer('accept', await login.assertion(old)),
      'user_verification_failed',
    );
    const accepted = await login.answer('accept', await login.assertion(replacement));
    assert.deepEqual(accepted.body, { status: 'accepted' });
  });

  it('is refused when it does not verify, and nothing is kept', async () => {
    const cases: [string, Partial<Ceremony>][] = [
      ['a challenge the server never issued', { challenge: 'bm90LWlzc3VlZA' }],
      ['another origin', { origin: 'https://evil.example' }],
      ['another relying party', { rpId: 'evil.example' }],
      ['a user not verified (no UV flag)', { userVerified: false }],
    ];
    for (const [what, ceremony] of cases) {
      const answered = await registerPasskey(phone, new SoftwareAuthenticator(), ceremony);
      expectRefusal(answered, 'passkey_registration_failed');
      assert.equal((await listed(phone))?.user_verifying, false, what);
    }
  });

  it('counts its challenge once, for the phone it was issued to, for five minutes', async () => {
    const other = await fixture.enrollDevice('alice');
    const options = await optionsFor(phone);
    const make = () =>
      new SoftwareAuthenticator().register({ challenge: options.challenge, origin: APP_ORIGIN });

    // Another phone cannot use it.
    const stolen = await fromPhone(other, `/devices/${other.deviceId}/passkey`, {
      registration: make(),
    });
    expectRefusal(stolen, 'passkey_registration_failed');

    fixture.now += PASSKEY_CHALLENGE_TIME_TO_LIVE_MS;
    const late = await fromPhone(phone, `/devices/${phone.deviceId}/passkey`, {
      registration: make(),
    });
    expectRefusal(late, 'passkey_registration_failed');

    const fresh = await optionsFor(phone);
    const registration = new SoftwareAuthenticator().register({
      challenge: fresh.challenge,
      origin: APP_ORIGIN,
    });
    const path = `/devices/${phone.deviceId}/passkey`;
    assert.equal((await fromPhone(phone, path, { registration })).status, 200);
    // The same registration again (its signed call is new): the challenge is used.
    expectRefusal(await fromPhone(phone, path, { registration }), 'passkey_registration_failed');
  });

  it('is not made for an origin that is not the app’s, nor for a call without one', async () => {
    for (const origin of ['https://evil.example', 'http://scan.example', null]) {
      expectRefusal(await passkeyOptions(phone, origin), 'passkey_registration_failed');
    }
  });

  it('is not made for a revoked phone, nor through a path that names another phone', async () => {
    const other = await fixture.enrollDevice('alice');
    const foreign = await fromPhone(phone, `/devices/${other.deviceId}/passkey/options`, {});
    expectRefusal(foreign, 'request_not_found');
    expectRefusal(
      await fromPhone(phone, '/devices/not-an-id/passkey/options', {}),
      'request_not_found',
    );

    const response = await fixture.relyingParty(`/devices/${phone.deviceId}`, {
      method: 'DELETE',
    });
    assert.equal(response.status, 204);
    expectRefusal(await passkeyOptions(phone), 'device_deregistered');
  });

  it('refuses a body that is not a registration, with invalid_body', async () => {
    const path = `/devices/${phone.deviceId}/passkey`;
    expectRefusal(await fromPhone(phone, path, { registration: {} }), 'invalid_body');
    expectRefusal(
      await fromPhone(phone, `/devices/${phone.deviceId}/passkey/options`, { extra: 1 }),
      'invalid_body',
    );
  });
});

describe('an accept of a type that requires user verification', () => {
  it('says so at redemption, and is refused without an assertion: nothing is recorded', async () => {
    const { device } = await verifyingPhone();
    const login = await scanned(device, 'otp_verified');
    assert.equal(login.details.user_verification, 'required');
    expectRefusal(await login.answer('accept'), 'user_verification_required');
    assert.equal(await login.status(), 'scanned');
  });

  it('counts with an assertion of the phone’s passkey over this login', async () => {
    const { device, authenticator } = await verifyingPhone();
    const login = await scanned(device, 'otp_verified');
    const accepted = await login.answer('accept', await login.assertion(authenticator));
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.deepEqual(accepted.body, { status: 'accepted' });
    assert.equal(await login.status(), 'accepted');
    assert.equal((await store.getDevice(device.deviceId))?.passkey?.counter, 1);
  });

  it('refuses an assertion that does not verify, and records nothing', async () => {
    const { device, authenticator } = await verifyingPhone();
    const stranger = await verifyingPhone();
    const earlier = await scanned(device, 'otp_verified');
    const login = await scanned(device, 'otp_verified');
    const cases: [string, () => Promise<PasskeyAssertion>][] = [
      ['an assertion for another login', () => earlier.assertion(authenticator)],
      ['another phone’s passkey', () => login.assertion(stranger.authenticator)],
      ['a user not verified', () => login.assertion(authenticator, { userVerified: false })],
      ['another origin', () => login.assertion(authenticator, { origin: 'https://evil.example' })],
      ['another relying party', () => login.assertion(authenticator, { rpId: 'evil.example' })],
      [
        'a signature by another key',
        async () => ({
          ...(await login.assertion(authenticator)),
          response: (await login.assertion(stranger.authenticator)).response,
        }),
      ],
    ];
    for (const [what, assertion] of cases) {
      const answered = await login.answer('accept', await assertion());
      expectRefusal(answered, 'user_verification_failed');
      assert.equal(await login.status(), 'scanned', what);
    }
    assert.equal((await store.getDevice(device.deviceId))?.passkey?.counter, 0);
  });

  it('refuses an assertion whose counter is not above the last one (a replay, a cloned key)', async () => {
    const { device, authenticator } = await verifyingPhone();
    const first = await scanned(device, 'otp_verified');
    assert.equal((await first.answer('accept', await first.assertion(authenticator))).status, 200);
    const second = await scanned(device, 'otp_verified');
    const replayed = await second.assertion(authenticator, { counter: authenticator.counter });
    expectRefusal(await second.answer('accept', replayed), 'user_verification_failed');
    assert.equal(await second.status(), 'scanned');
    const counted = await second.answer('accept', await second.assertion(authenticator));
    assert.deepEqual(counted.body, { status: 'accepted' });
  });

  it('leaves a phone without a passkey only deny', async () => {
    const login = await scanned(phone, 'otp_verified');
    expectRefusal(await login.answer('accept'), 'user_verification_required');
    assert.equal(await login.status(), 'scanned');
    assert.deepEqual((await login.answer('deny')).body, { status: 'denied' });
    assert.equal(await login.status(), 'denied');
  });

  it('never asks it of a deny', async () => {
    const { device } = await verifyingPhone();
    const login = await scanned(device, 'otp_verified');
    assert.deepEqual((await login.answer('deny')).body, { status: 'denied' });
  });

  it('takes one answer: an assertion that counted cannot accept again', async () => {
    const { device, authenticator } = await verifyingPhone();
    const login = await scanned(device, 'otp_verified');
    const assertion = await login.assertion(authenticator);
    assert.equal((await login.answer('accept', assertion)).status, 200);
    expectRefusal(await login.answer('accept', assertion), 'already_handled');
  });
});

describe('an accept of a type that prefers user verification', () => {
  it('takes a tap from a phone without a passkey', async () => {
    const login = await scanned(phone, 'otp_verified_if_able');
    assert.equal(login.details.user_verification, 'preferred');
    assert.deepEqual((await login.answer('accept')).body, { status: 'accepted' });
  });

  it('asks a phone with a passkey for it: without, refused and nothing recorded; with, counted', async () => {
    const { device, authenticator } = await verifyingPhone();
    const login = await scanned(device, 'otp_verified_if_able');
    expectRefusal(await login.answer('accept'), 'user_verification_required');
    assert.equal(await login.status(), 'scanned');
    expectRefusal(
      await login.answer('accept', await login.assertion(authenticator, { userVerified: false })),
      'user_verification_failed',
    );
    const accepted = await login.answer('accept', await login.assertion(authenticator));
    assert.deepEqual(accepted.body, { status: 'accepted' });
  });
});

describe('an accept of a type without user verification', () => {
  it('says none at redemption, and takes a tap from a phone with a passkey', async () => {
    const { device } = await verifyingPhone();
    const login = await scanned(device, 'otp');
    assert.equal(login.details.user_verification, 'none');
    assert.deepEqual((await login.answer('accept')).body, { status: 'accepted' });
  });

  it('ignores an assertion, even one that would not verify', async () => {
    const { device, authenticator } = await verifyingPhone();
    const login = await scanned(device, 'otp');
    const bogus = await login.assertion(authenticator, { userVerified: false });
    assert.deepEqual((await login.answer('accept', bogus)).body, { status: 'accepted' });
  });
});

describe('the passkey calls and the rate limit', () => {
  it('counts them as every mobile call from the phone’s address', async () => {
    const limited = new TokenServerFixture(new MemoryStore(), {
      rateLimits: {
        perIp: { points: 4, durationSeconds: 60 },
        perClient: { points: 6000, durationSeconds: 60 },
      },
    });
    try {
      const device = await limited.enrollDevice('alice');
      const call = async () => {
        const request = await device.signedRequest(
          `${BASE}/api/mobile/v1/devices/${device.deviceId}/passkey/options`,
          {},
          { timestamp: limited.now },
        );
        const headers = new Headers(request.headers);
        headers.set('Origin', APP_ORIGIN);
        headers.set('x-test-ip', '198.51.100.7');
        return limited.fetch(new Request(request, { headers }));
      };
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await call()).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    } finally {
      await limited.server.close();
    }
  });
});
