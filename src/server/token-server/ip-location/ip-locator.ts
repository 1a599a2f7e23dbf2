/**
 * Where an IP address seems to be, from an IP database: a hint for the user ("Amsterdam, NL ·
 * KPN"), never proof. Every field is null when the database does not say.
 */
export interface IpLocation {
  readonly city: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  /** The network operator: the organisation of the address's autonomous system. */
  readonly operator: string | null;
  /** That autonomous system's number (`13335` for AS13335), for logs; absent when not looked up. */
  readonly asn?: number | null;
}

/** Looks addresses up in the Token Server's IP databases (ip-location/open-ip-locator.ts). */
export interface IpLocator {
  /** Null for an address the databases do not cover, or one that says nothing (private, loopback). */
  locate(ip: string): IpLocation | null;
  /**
   * The credit that the databases' licence asks of whoever shows their data (the phone shows it
   * with the place); null when none was given.
   */
  readonly attribution?: string | null;
}
