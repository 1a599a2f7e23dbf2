/*
 * The device key: ECDSA P-256 made by WebCrypto, non-extractable, kept in IndexedDB as the key
 * object itself. It signs every call (the mock verifies each signature), and it never leaves
 * WebCrypto: every export fails, also after a round trip through IndexedDB.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { IndexedDbDeviceStorage, Onegini } from '../../src/sdk/index.js';
import { expectNoUnhandledRequests } from '../support/mock-server.js';
import { RecordingListener } from './recording-listener.js';
import { createHarness } from './sdk-harness.js';

const openStorages: IndexedDbDeviceStorage[] = [];

function storage(name: string): IndexedDbDeviceStorage {
  const created = new IndexedDbDeviceStorage(name);
  openStorages.push(created);
  return created;
}

async function exportFails(key: CryptoKey, format: 'jwk' | 'pkcs8' | 'raw' | 'spki') {
  try {
    await crypto.subtle.exportKey(format, key);
  } catch (error) {
    return error;
  }
  return undefined;
}

function uniqueName(): string {
  return `otp-login-qr-sdk-test-${crypto.randomUUID()}`;
}

describe('the device key', () => {
  afterEach(async () => {
    expectNoUnhandledRequests();
    for (const opened of openStorages.splice(0)) {
      await opened.close();
      indexedDB.deleteDatabase(opened.databaseName);
    }
  });

  it('is a non-extractable ECDSA P-256 signing key; exporting it fails in every format', async () => {
    const h = await createHarness({}, { storage: storage(uniqueName()) });
    const profile = await h.enroll();
    const [stored] = await h.storage.listProfiles();
    if (stored === undefined) throw new Error('no stored profile');
    expect(stored.profileId).to.equal(profile.profileId);
    const key = stored.privateKey;
    expect(key.extractable).to.equal(false);
    expect(key.type).to.equal('private');
    expect(key.usages).to.deep.equal(['sign']);
    expect(key.algorithm).to.deep.include({ name: 'ECDSA', namedCurve: 'P-256' });
    for (const format of ['jwk', 'pkcs8'] as const) {
      const error = await exportFails(key, format);
      expect(error, `export as ${format}`).to.be.instanceOf(DOMException);
      expect((error as DOMException).name).to.equal('InvalidAccessError');
    }
    for (const format of ['raw', 'spki'] as const) {
      expect(await exportFails(key, format), `export as ${format}`).to.be.instanceOf(DOMException);
    }
  });

  it('survives in IndexedDB: a new SDK instance (an app restart) logs in with the stored key', async () => {
    const name = uniqueName();
    const first = await createHarness({}, { storage: storage(name) });
    const profile = await first.enroll();

    // The app restarts: a new SDK instance, a new connection to the same database.
    const onegini = new Onegini();
    const listener = new RecordingListener(onegini);
    const reopened = storage(name);
    await onegini.startApplication(listener, {
      tokenServerUrl: first.mock.tokenServerUrl,
      storage: reopened,
    });
    expect(await onegini.userClient.getUserProfiles()).to.deep.equal([profile]);
    expect(await onegini.userClient.getAuthenticatedUserProfile()).to.deep.equal(profile);
    const [stored] = await reopened.listProfiles();
    expect(stored?.privateKey.extractable).to.equal(false);
    expect(await exportFails(stored?.privateKey as CryptoKey, 'jwk')).to.be.instanceOf(
      DOMException,
    );

    listener.action = { answer: 'accept' };
    const login = first.mock.startLogin();
    expect(await onegini.userClient.mobileAuthWithOtp(login.qr)).to.equal(login.transactionId);
    expect(first.mock.loginState(login.transactionId)).to.equal('accepted');
  });

  it('makes one key per profile; the chosen profile answers logins', async () => {
    const h = await createHarness({}, { storage: storage(uniqueName()) });
    const alice = await h.enroll();
    const second = await h.enroll();
    expect(second.deviceId).not.to.equal(alice.deviceId);
    const keys = (await h.storage.listProfiles()).map((profile) => profile.privateKey);
    expect(keys[0]).not.to.equal(keys[1]);
    h.listener.action = { answer: 'accept' };
    await h.onegini.userClient.setAuthenticatedUserProfile(second.profileId);
    const login = h.mock.startLogin();
    await h.onegini.userClient.mobileAuthWithOtp(login.qr);
    const open = h.listener.events[0];
    expect(open?.name === 'openAuthOtp' ? open.request.profile : undefined).to.deep.equal(second);
  });

  it('deregisterUser deletes the profile and its key from IndexedDB; the next profile takes over', async () => {
    const name = uniqueName();
    const h = await createHarness({}, { storage: storage(name) });
    const first = await h.enroll();
    const second = await h.enroll();
    expect(await h.onegini.userClient.getAuthenticatedUserProfile()).to.deep.equal(first);
    await h.onegini.userClient.deregisterUser(first.profileId);
    expect(await h.onegini.userClient.getUserProfiles()).to.deep.equal([second]);
    expect(await h.onegini.userClient.getAuthenticatedUserProfile()).to.deep.equal(second);
    const reopened = storage(name);
    expect((await reopened.listProfiles()).map((profile) => profile.profileId)).to.deep.equal([
      second.profileId,
    ]);
    expect(await reopened.getAuthenticatedProfileId()).to.equal(second.profileId);
  });

  it('names the device from the user agent unless the config names it', async () => {
    const h = await createHarness({}, { storage: storage(uniqueName()), deviceName: undefined });
    await h.enroll();
    const named = await createHarness(
      {},
      { storage: storage(uniqueName()), deviceName: 'Pixel 8' },
    );
    await named.enroll();
    const sent = [h, named].map(
      (harness) => (harness.mock.calls[0]?.body as { device_name?: string }).device_name,
    );
    expect(sent[0]).to.match(/^(Chrome|Chromium|Firefox|Safari|WebKit|Epiphany)\b.* on Linux$/);
    expect(sent[1]).to.equal('Pixel 8');
  });

  it('refuses a configured name that the website’s list of phones could not show plainly', async () => {
    for (const deviceName of ['', '   ', 'Pixel\u202E8', 'Pixel\u200B8', 'x'.repeat(81)]) {
      const onegini = new Onegini();
      let refusal: unknown;
      try {
        await onegini.startApplication(new RecordingListener(onegini), {
          tokenServerUrl: 'https://tokens.example.com',
          deviceName,
        });
      } catch (error) {
        refusal = error;
      }
      expect(refusal, JSON.stringify(deviceName)).to.be.instanceOf(TypeError);
      expect((refusal as TypeError).message).to.include('config.deviceName');
    }
  });

  it('a phone clock 10 minutes off: learns the server’s time from Date (same-origin server)', async () => {
    const h = await createHarness({
      tokenServerUrl: `${location.origin}/token-server`,
      now: () => Date.now() + 10 * 60_000,
    });
    await h.enroll();
    h.listener.action = { answer: 'accept' };
    const login = h.mock.startLogin();
    expect(await h.onegini.userClient.mobileAuthWithOtp(login.qr)).to.equal(login.transactionId);
    // The first call was refused for its clock and resent once, signed anew.
    expect(h.mock.calls.map((call) => `${call.endpoint} ${call.status}`)).to.deep.equal([
      'enroll 401',
      'enroll 201',
      'redeem 200',
      'answer 200',
    ]);
  });
});
