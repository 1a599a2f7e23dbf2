import type { DeviceStorage } from './device-storage.js';
import type { PasskeyAuthenticator } from './passkey-authenticator.js';

/** What `Onegini.instance.startApplication(listener, config)` takes. */
export interface OneginiConfig {
  /**
   * Where the Token Server's mobile API lives, e.g. `https://tokens.example.com` (the SDK calls
   * `{tokenServerUrl}/api/mobile/v1/…`). https, or http on localhost for development.
   */
  readonly tokenServerUrl: string;
  /** Where profiles and device keys are kept. Default: {@link IndexedDbDeviceStorage}. */
  readonly storage?: DeviceStorage;
  /** The name of this device in the website's device list (1–80 characters). Default: from the user agent. */
  readonly deviceName?: string;
  /** How long one request may take before it fails with 9001. Default: 15 000 ms. */
  readonly requestTimeoutMs?: number;
  /** The fetch to use (a test double, or a fetch with a proxy). Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * The authenticator that verifies the user (fingerprint, face) on Accept where a login type asks
   * for it: a platform passkey registered when the phone links. Default:
   * {@link BrowserPasskeyAuthenticator} (WebAuthn); a device without a platform authenticator
   * links without one.
   */
  readonly passkeyAuthenticator?: PasskeyAuthenticator;
}
