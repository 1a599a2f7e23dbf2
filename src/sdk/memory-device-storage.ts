import type { DeviceStorage, StoredProfile } from './device-storage.js';

/**
 * Keeps profiles in memory: for Node and tests. Everything is gone when the process ends, so a
 * phone app uses {@link IndexedDbDeviceStorage} instead.
 */
export class MemoryDeviceStorage implements DeviceStorage {
  private readonly profiles = new Map<string, StoredProfile>();
  private authenticatedProfileId: string | undefined;

  listProfiles(): Promise<StoredProfile[]> {
    return Promise.resolve([...this.profiles.values()].sort((a, b) => a.enrolledAt - b.enrolledAt));
  }

  saveProfile(profile: StoredProfile): Promise<void> {
    this.profiles.set(profile.profileId, profile);
    return Promise.resolve();
  }

  deleteProfile(profileId: string): Promise<void> {
    this.profiles.delete(profileId);
    return Promise.resolve();
  }

  getAuthenticatedProfileId(): Promise<string | undefined> {
    return Promise.resolve(this.authenticatedProfileId);
  }

  setAuthenticatedProfileId(profileId: string | undefined): Promise<void> {
    this.authenticatedProfileId = profileId;
    return Promise.resolve();
  }
}
