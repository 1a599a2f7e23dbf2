import type { DeviceStorage, StoredProfile } from './device-storage.js';

const PROFILES = 'profiles';
const SETTINGS = 'settings';
const AUTHENTICATED_PROFILE = 'authenticatedProfileId';

/**
 * Keeps profiles and their non-extractable device keys in IndexedDB. A `CryptoKey` is stored as
 * the object itself (structured clone), so the key's bytes are never exposed to script, and the
 * key survives reloads and restarts of the app.
 */
export class IndexedDbDeviceStorage implements DeviceStorage {
  private database: Promise<IDBDatabase> | undefined;

  /** @param databaseName the IndexedDB database; change it only to keep apart several SDK users. */
  constructor(
    readonly databaseName = 'otp-login-qr-sdk',
    private readonly factory: IDBFactory | undefined = globalThis.indexedDB,
  ) {
    if (typeof databaseName !== 'string' || databaseName === '') {
      throw new TypeError('databaseName must be a non-empty string.');
    }
  }

  async listProfiles(): Promise<StoredProfile[]> {
    const profiles = await this.run(
      PROFILES,
      'readonly',
      (store) => store.getAll() as IDBRequest<StoredProfile[]>,
    );
    return profiles.sort((a, b) => a.enrolledAt - b.enrolledAt);
  }

  async saveProfile(profile: StoredProfile): Promise<void> {
    await this.run(PROFILES, 'readwrite', (store) => store.put(profile));
  }

  async deleteProfile(profileId: string): Promise<void> {
    await this.run(PROFILES, 'readwrite', (store) => store.delete(profileId));
  }

  async getAuthenticatedProfileId(): Promise<string | undefined> {
    const value: unknown = await this.run(SETTINGS, 'readonly', (store) =>
      store.get(AUTHENTICATED_PROFILE),
    );
    return typeof value === 'string' ? value : undefined;
  }

  async setAuthenticatedProfileId(profileId: string | undefined): Promise<void> {
    if (profileId === undefined) {
      await this.run(SETTINGS, 'readwrite', (store) => store.delete(AUTHENTICATED_PROFILE));
    } else {
      await this.run(SETTINGS, 'readwrite', (store) => store.put(profileId, AUTHENTICATED_PROFILE));
    }
  }

  /** Closes the connection; the next call opens it again. */
  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    if (database !== undefined) (await database).close();
  }

  private open(): Promise<IDBDatabase> {
    const factory = this.factory;
    if (factory === undefined) {
      return Promise.reject(new Error('IndexedDB is not available here.'));
    }
    this.database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(this.databaseName, 1);
      request.onupgradeneeded = () => {
        const database = request.result;
        database.createObjectStore(PROFILES, { keyPath: 'profileId' });
        database.createObjectStore(SETTINGS);
      };
      request.onsuccess = () => {
        const database = request.result;
        // Another tab upgrading the schema: let it, and reopen on the next call.
        database.onversionchange = () => {
          database.close();
          this.database = undefined;
        };
        resolve(database);
      };
      request.onerror = () => {
        this.database = undefined;
        reject(request.error ?? new Error('IndexedDB refused to open.'));
      };
      request.onblocked = () => {
        this.database = undefined;
        reject(new Error('IndexedDB is blocked by another open connection.'));
      };
    });
    return this.database;
  }

  /** Runs one request in its own transaction and resolves once the transaction has committed. */
  private async run<T>(
    storeName: string,
    mode: IDBTransactionMode,
    action: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    const database = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const request = action(transaction.objectStore(storeName));
      transaction.oncomplete = () => {
        resolve(request.result);
      };
      transaction.onerror = () => {
        reject(transaction.error ?? request.error ?? new Error('IndexedDB failed.'));
      };
      transaction.onabort = () => {
        reject(transaction.error ?? new Error('IndexedDB aborted the transaction.'));
      };
    });
  }
}
