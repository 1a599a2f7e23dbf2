import type { SoftwareName } from './otp-authentication-request.js';
import type { RequesterPlaceInfo } from './requester-place-info.js';

/**
 * What the app shows before it asks "Link this phone to {account} at {site}?": the account, the
 * website, and the browser that shows the linking page. Everything here comes from the Token
 * Server (`userClient.previewEnrollment`), never from the QR code; nothing is linked yet. Render
 * every string as text, never as HTML.
 */
export interface OneginiEnrollmentPreview {
  /** The website's name as configured on the Token Server. */
  readonly siteName: string;
  /** The website's id of the user the phone would be linked to. */
  readonly userId: string;
  /** The name the website gave the account; absent when it gave none, or one that may not be shown. */
  readonly displayName?: string;
  /** The browser that shows the linking page, as it calls itself; absent when not recognised. */
  readonly browser?: SoftwareName;
  /** Its operating system; absent when not recognised. */
  readonly os?: SoftwareName;
  /**
   * Whether that browser and this phone seem to be on the same network (a hint); absent when the
   * server could not tell, which the app should word as a warning, like `false`.
   */
  readonly sameNetwork?: boolean;
  /** Where that browser seems to be; absent when the server does not know. */
  readonly place?: RequesterPlaceInfo;
  /** When the code stops working, on the Token Server's clock. */
  readonly expiresAt: Date;
}
