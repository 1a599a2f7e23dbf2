/**
 * A profile as the device keeps it: what {@link OneginiUserProfile} shows, plus the device's
 * private key. The key is a non-extractable WebCrypto `CryptoKey`: storage holds the key object
 * itself (IndexedDB structured-clones it), never its bytes, which no code can read.
 */
export interface StoredProfile {
  readonly profileId: string;
  readonly userId: string;
  readonly displayName?: string;
  readonly deviceId: string;
  readonly tokenServerUrl: string;
  readonly siteName?: string;
  /** Milliseconds since the epoch. */
  readonly enrolledAt: number;
  readonly privateKey: CryptoKey;
  /**
   * The platform passkey registered for this profile's device, which Accept asks for where the
   * login type wants the user verified; absent when the phone has none (yet).
   */
  readonly passkey?: StoredPasskey;
}

/** What the phone remembers of its passkey: enough to ask for that one, and no other. */
export interface StoredPasskey {
  /** The credential id, base64url. */
  readonly credentialId: string;
  /** The relying party id it was made for (the app's domain). */
  readonly rpId: string;
  /** The transports the authenticator reported. */
  readonly transports: readonly string[];
  /** Milliseconds since the epoch. */
  readonly registeredAt: number;
}

/** Where the SDK keeps its profiles and device keys. */
export interface DeviceStorage {
  /** Every stored profile, oldest first. */
  listProfiles(): Promise<StoredProfile[]>;
  /** Adds a profile, or replaces the one with the same `profileId`. */
  saveProfile(profile: StoredProfile): Promise<void>;
  /** Forgets a profile and its key; nothing happens for an unknown id. */
  deleteProfile(profileId: string): Promise<void>;
  /** The id of the profile that answers logins, if one was chosen. */
  getAuthenticatedProfileId(): Promise<string | undefined>;
  setAuthenticatedProfileId(profileId: string | undefined): Promise<void>;
}
