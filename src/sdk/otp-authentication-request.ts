import type { UserVerificationPolicy } from '../protocol/index.js';
import type { OneginiUserProfile } from './onegini-user-profile.js';
import type { RequesterPlaceInfo } from './requester-place-info.js';

/** A browser or operating system as the Token Server recognised it from the website's request. */
export interface SoftwareName {
  readonly name: string;
  readonly version?: string;
}

/**
 * What the confirmation screen shows about a login request. Everything here comes from the Token
 * Server's answer to the redemption, never from the QR code: a copied or forged QR cannot change it.
 * Render every string as text, never as HTML.
 */
export interface OtpAuthenticationRequest {
  readonly transactionId: string;
  /** The website's message (or the login type's default), e.g. "Log in to Demo Bank". */
  readonly message: string;
  /** The website's name as configured on the Token Server. */
  readonly siteName: string;
  /** The browser that asked to log in; undefined when the server could not tell. */
  readonly browser: SoftwareName | undefined;
  /** Its operating system; undefined when the server could not tell. */
  readonly os: SoftwareName | undefined;
  /**
   * Whether that browser and this phone seem to be on the same network (a hint, not a check);
   * undefined when the server could not tell.
   */
  readonly sameNetwork: boolean | undefined;
  /** Where that browser seems to be; absent when the server does not know. */
  readonly place?: RequesterPlaceInfo;
  /**
   * Whether an accept needs proof of presence: after Accept the phone shows a code (the listener's
   * `showPresenceCode`) that the user types in the browser that is logging in. Say so on the
   * screen before the user accepts.
   */
  readonly presenceRequired: boolean;
  /**
   * Whether an accept needs the user verified (a fingerprint or face) by the phone's passkey, as
   * the login type says: `required` (a phone without a passkey, `profile.userVerifying` false,
   * can only deny), `preferred` (asked for on a phone with a passkey, a tap otherwise) or `none`.
   * Where it will be asked for, say so on the screen before the user accepts.
   */
  readonly userVerification: UserVerificationPolicy;
  /**
   * Whether the login is the second factor after the website's password. A user who denies one
   * they did not start should change that password: someone else knows it.
   */
  readonly secondFactor: boolean;
  readonly requestedAt: Date;
  /** When the request expires, on the Token Server's clock. */
  readonly expiresAt: Date;
  /**
   * Number matching: the choices to offer (the website shows the right one). Pass the one the user
   * picks to `acceptAuthenticationRequest(context, { number })`.
   */
  readonly numberMatchChoices?: readonly string[];
  /** The profile that answers this request. */
  readonly profile: OneginiUserProfile;
}
