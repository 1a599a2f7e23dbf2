/*
 * Before it links, the app asks "Link this phone to {account} at {site}?" with what
 * `previewEnrollment` returns: the account, the site, and the browser, network and place of the
 * linking page, all from the Token Server. The preview links nothing, and fails as linking fails.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { encodeCompactPayload, SDK_ERRORS } from '../../src/protocol/index.js';
import { Onegini } from '../../src/sdk/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { createHarness, rejectionOf } from './sdk-harness.js';

describe('previewing a "Link your phone" code', () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('shows the account, the site and the linking page’s browser, network and place', async () => {
    const h = await createHarness({
      site: 'Demo Bank',
      userId: 'u-7f3a9c21',
      displayName: 'alice@example.com',
      browser: 'Firefox 128',
      os: 'Windows 10',
      sameNetwork: false,
      place: {
        city: 'Amsterdam',
        country: 'NL',
        operator: 'KPN B.V.',
        distance_km: 412,
        credit: 'IP geolocation by DB-IP (db-ip.com)',
      },
      enrollmentTimeToLiveMs: 300_000,
    });
    const before = Date.now();
    const preview = await h.onegini.userClient.previewEnrollment(h.mock.enrollmentCode());
    expect(preview).to.deep.equal({
      siteName: 'Demo Bank',
      userId: 'u-7f3a9c21',
      displayName: 'alice@example.com',
      browser: { name: 'Firefox', version: '128' },
      os: { name: 'Windows', version: '10' },
      sameNetwork: false,
      place: {
        city: 'Amsterdam',
        country: 'NL',
        operator: 'KPN B.V.',
        distanceKm: 412,
        credit: 'IP geolocation by DB-IP (db-ip.com)',
      },
      expiresAt: preview.expiresAt,
    });
    expect(preview.expiresAt.getTime()).to.be.within(before + 299_000, Date.now() + 300_000);
  });

  it('leaves out what the server does not know, and names it must not show', async () => {
    const h = await createHarness({
      displayName: 'moc.knab@\u202Eeciffo',
      browser: null,
      os: null,
      sameNetwork: null,
      place: {
        city: 'Amster\u200Bdam',
        country: null,
        operator: null,
        distance_km: null,
        credit: 'IP geolocation by DB-IP (db-ip.com)',
      },
    });
    const preview = await h.onegini.userClient.previewEnrollment(h.mock.enrollmentCode());
    expect(preview).to.have.keys('siteName', 'userId', 'expiresAt');
    expect(preview.userId).to.equal('alice@example.com');
  });

  it('changes nothing: the code still links, with the key that signed the preview', async () => {
    const h = await createHarness();
    const code = h.mock.enrollmentCode();
    await h.onegini.userClient.previewEnrollment(code);
    await h.onegini.userClient.previewEnrollment(code);
    expect(h.mock.enrollmentState(code)?.status).to.equal('pending');
    expect(await h.onegini.userClient.getUserProfiles()).to.deep.equal([]);

    const profile = await h.onegini.userClient.enrollMobileAuthentication(code);
    expect(h.mock.enrollmentState(code)?.deviceId).to.equal(profile.deviceId);
    const keys = h.mock.calls.map(
      (call) => `${call.endpoint} ${(call.body as { public_key: { x: string } }).public_key.x}`,
    );
    const linkedKey = keys.at(-1)?.split(' ')[1];
    expect(keys).to.deep.equal([
      `previewEnrollment ${linkedKey}`,
      `previewEnrollment ${linkedKey}`,
      `enroll ${linkedKey}`,
    ]);
  });

  it('links a code that was not previewed, or not the one previewed last, with a key of its own', async () => {
    const h = await createHarness();
    const previewed = h.mock.enrollmentCode();
    const other = h.mock.enrollmentCode();
    await h.onegini.userClient.previewEnrollment(previewed);
    await h.onegini.userClient.enrollMobileAuthentication(other);
    await h.onegini.userClient.enrollMobileAuthentication(previewed);
    const keys = h.mock.calls.map(
      (call) => (call.body as { public_key: { x: string } }).public_key.x,
    );
    expect(new Set(keys).size, 'preview, other, previewed').to.equal(3);
  });

  it('fails as linking fails: 10018 without a request, 9016 used, 10100 expired, 10013 unknown', async () => {
    let now = Date.now();
    const h = await createHarness({ now: () => now, enrollmentTimeToLiveMs: 60_000 });
    const wrongKind = await rejectionOf(
      h.onegini.userClient.previewEnrollment(h.mock.startLogin().qr),
    );
    expect(wrongKind.code).to.equal(SDK_ERRORS.NOT_HANDLEABLE.code);
    expect(h.fetched).to.deep.equal([]);

    const used = h.mock.enrollmentCode();
    await h.onegini.userClient.enrollMobileAuthentication(used);
    const usedError = await rejectionOf(h.onegini.userClient.previewEnrollment(used));
    expect(usedError.code).to.equal(SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code);

    const neverIssued = encodeCompactPayload({
      kind: 'enrollment',
      format: 'compact',
      enrollmentId: '0123456789abcdef0123456789abcdef',
      secret: 'fedcba9876543210fedcba9876543210',
    });
    const unknown = await rejectionOf(h.onegini.userClient.previewEnrollment(neverIssued));
    expect(unknown.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code);

    const late = h.mock.enrollmentCode();
    now += 60_000;
    const expired = await rejectionOf(h.onegini.userClient.previewEnrollment(late));
    expect(expired.code).to.equal(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code);
    // Each failure is reported to the listener's eventError too, as for linking.
    expect(h.listener.names).to.deep.equal(Array(4).fill('eventError'));
  });

  it('needs the scanned text as a string, and a started SDK (10001)', async () => {
    const h = await createHarness();
    let typeError: unknown;
    try {
      await h.onegini.userClient.previewEnrollment(42 as unknown as string);
    } catch (error) {
      typeError = error;
    }
    expect(typeError).to.be.instanceOf(TypeError);
    const unstarted = await rejectionOf(new Onegini().userClient.previewEnrollment('1'));
    expect(unstarted.code).to.equal(SDK_ERRORS.CONFIGURATION_ERROR.code);
    expect(h.fetched).to.deep.equal([]);
  });
});
