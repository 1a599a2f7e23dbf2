/**
 * Where the browser that asked (to log in, or to link this phone) seems to be, from the Token
 * Server's IP database: a hint, never proof (a VPN or a relay moves it). Each field is undefined
 * where the server did not know it. Render the strings as text, never as HTML.
 */
export interface RequesterPlaceInfo {
  /** e.g. `Amsterdam`. */
  readonly city?: string;
  /** ISO 3166-1 alpha-2, e.g. `NL`. */
  readonly country?: string;
  /** The network operator, e.g. `KPN B.V.`. */
  readonly operator?: string;
  /** Kilometres between that place and this phone's, when both are known to city level. */
  readonly distanceKm?: number;
  /** The credit the IP data's licence asks for; show it with the place. */
  readonly credit?: string;
}
