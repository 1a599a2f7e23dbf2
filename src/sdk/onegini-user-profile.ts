import type { PasskeySetup } from './passkey-setup.js';

/**
 * A user linked on this device: one enrollment through a website's "Link your phone" code. The
 * profile's device key never leaves the device's storage (see {@link DeviceStorage}).
 */
export interface OneginiUserProfile {
  /** This device's own id for the profile (random; not known to the Token Server). */
  readonly profileId: string;
  /** The website's id of the user, as the Token Server reported it at enrollment. */
  readonly userId: string;
  /**
   * The name the website gave the account (an email address, a full name), to show instead of
   * `userId`; absent when the website gave none.
   */
  readonly displayName?: string;
  /** The Token Server's id of this device (the `device-id` of every signed call). */
  readonly deviceId: string;
  /** The Token Server this profile is enrolled with. */
  readonly tokenServerUrl: string;
  /** The name of the website the user linked, as the Token Server reported it. */
  readonly siteName?: string;
  readonly enrolledAt: Date;
  /**
   * Whether this phone verifies its user (a fingerprint or face: a platform passkey) for this
   * account's logins that ask for it. False when the phone has no passkey for it.
   */
  readonly userVerifying: boolean;
}

/**
 * The profile `enrollMobileAuthentication` resolves with: the new link, and the code to compare.
 * The link is pending until the user confirms on the website's linking page that it shows the same
 * code; until then the phone's logins are refused with 10102.
 */
export interface OneginiEnrolledUserProfile extends OneginiUserProfile {
  /** Six digits the phone shows; the linking page shows the same, and the user confirms there. */
  readonly compareCode: string;
  /**
   * What came of making the passkey that verifies the user on Accept: made (`registered`), or
   * why not (no platform authenticator, cancelled, failed). The link stands either way.
   */
  readonly passkeySetup: PasskeySetup;
}
