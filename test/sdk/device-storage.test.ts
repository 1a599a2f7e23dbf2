/*
 * Both DeviceStorage implementations keep the same promises: profiles oldest first, replace by id,
 * delete, the authenticated profile id, and the CryptoKey kept as a working, non-extractable key.
 * In browsers IndexedDbDeviceStorage uses the real IndexedDB; in Node, fake-indexeddb.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import {
  IndexedDbDeviceStorage,
  MemoryDeviceStorage,
  type DeviceStorage,
  type StoredProfile,
} from '../../src/sdk/index.js';

async function indexedDbFactory(): Promise<IDBFactory> {
  if (typeof globalThis.indexedDB !== 'undefined') return globalThis.indexedDB;
  const { IDBFactory: FakeFactory } = await import('fake-indexeddb');
  return new FakeFactory();
}

const toClose: IndexedDbDeviceStorage[] = [];

const implementations: [string, () => Promise<DeviceStorage>][] = [
  ['MemoryDeviceStorage', () => Promise.resolve(new MemoryDeviceStorage())],
  [
    'IndexedDbDeviceStorage',
    async () => {
      const storage = new IndexedDbDeviceStorage(
        `sdk-storage-test-${crypto.randomUUID()}`,
        await indexedDbFactory(),
      );
      toClose.push(storage);
      return storage;
    },
  ],
];

async function profile(profileId: string, enrolledAt: number): Promise<StoredProfile> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  return {
    profileId,
    userId: `user-${profileId}`,
    deviceId: '0123456789abcdef0123456789abcdef',
    tokenServerUrl: 'https://tokens.example.com',
    siteName: 'Demo Bank',
    enrolledAt,
    privateKey: keys.privateKey,
  };
}

for (const [name, create] of implementations) {
  describe(`${name} (DeviceStorage)`, () => {
    afterEach(async () => {
      for (const storage of toClose.splice(0)) await storage.close();
    });

    it('starts empty, with no authenticated profile', async () => {
      const storage = await create();
      expect(await storage.listProfiles()).to.deep.equal([]);
      expect(await storage.getAuthenticatedProfileId()).to.equal(undefined);
    });

    it('lists profiles oldest first and replaces one with the same id', async () => {
      const storage = await create();
      await storage.saveProfile(await profile('b', 2_000));
      await storage.saveProfile(await profile('a', 1_000));
      const replaced = { ...(await profile('b', 3_000)), userId: 'someone else' };
      await storage.saveProfile(replaced);
      const listed = await storage.listProfiles();
      expect(listed.map((stored) => [stored.profileId, stored.userId])).to.deep.equal([
        ['a', 'user-a'],
        ['b', 'someone else'],
      ]);
    });

    it('keeps the private key usable and non-extractable', async () => {
      const storage = await create();
      await storage.saveProfile(await profile('a', 1_000));
      const [stored] = await storage.listProfiles();
      const key = stored?.privateKey;
      if (key === undefined) throw new Error('no key');
      expect(key.extractable).to.equal(false);
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        new TextEncoder().encode('signed text'),
      );
      expect(signature.byteLength).to.equal(64);
      let exportError: unknown;
      try {
        await crypto.subtle.exportKey('jwk', key);
      } catch (error) {
        exportError = error;
      }
      // Browsers name it InvalidAccessError; Node 20, InvalidAccessException.
      expect(String((exportError as { name?: unknown } | undefined)?.name)).to.match(
        /^InvalidAccess/,
      );
    });

    it('keeps the id of the profile’s passkey, which Accept asks for, once it has one', async () => {
      const storage = await create();
      const linked = await profile('a', 1_000);
      await storage.saveProfile(linked);
      expect((await storage.listProfiles())[0]?.passkey).to.equal(undefined);
      const passkey = {
        credentialId: 'zoqjdHvTJLV7nVAeov-ebuagLMD5qQgHzhCfZNFCBys',
        rpId: 'scan.example.com',
        transports: ['internal', 'hybrid'],
        registeredAt: 2_000,
      };
      await storage.saveProfile({ ...linked, passkey });
      expect((await storage.listProfiles())[0]?.passkey).to.deep.equal(passkey);
    });

    it('deletes a profile (an unknown id changes nothing) and remembers the authenticated id', async () => {
      const storage = await create();
      await storage.saveProfile(await profile('a', 1_000));
      await storage.saveProfile(await profile('b', 2_000));
      await storage.setAuthenticatedProfileId('b');
      await storage.deleteProfile('a');
      await storage.deleteProfile('unknown');
      expect((await storage.listProfiles()).map((stored) => stored.profileId)).to.deep.equal(['b']);
      expect(await storage.getAuthenticatedProfileId()).to.equal('b');
      await storage.setAuthenticatedProfileId(undefined);
      expect(await storage.getAuthenticatedProfileId()).to.equal(undefined);
    });
  });
}
