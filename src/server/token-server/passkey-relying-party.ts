import { isIP } from 'node:net';

/**
 * The scanner app's origins (the configuration's `appOrigins`) as WebAuthn relying parties: a
 * passkey belongs to the app's host name (its RP ID), and only a page of one of these origins can
 * make or use one. The Token Server checks both in every registration and assertion, so that a
 * passkey made for, or used on, another site counts for nothing here.
 */
export class PasskeyRelyingParty {
  /** The app origins, as browsers write them in `clientDataJSON` (`https://host[:port]`). */
  readonly origins: readonly string[];
  /** Their host names that can be RP IDs: WebAuthn takes domain names, never IP addresses. */
  readonly rpIds: readonly string[];

  constructor(appOrigins: readonly string[]) {
    this.origins = [...new Set(appOrigins.map((origin) => new URL(origin).origin))];
    this.rpIds = [...new Set(this.origins.map(hostOf).filter(isDomainName))];
  }

  /**
   * The RP ID of a passkey made by the app that calls from `origin` (its `Origin` header): its
   * host name. Undefined when the call has no origin, or one that is not an app origin, or the
   * app runs at an IP address, where browsers make no passkey.
   */
  rpIdFor(origin: string | undefined): string | undefined {
    if (origin === undefined || !URL.canParse(origin)) return undefined;
    const normalized = new URL(origin).origin;
    if (!this.origins.includes(normalized)) return undefined;
    const host = hostOf(normalized);
    return isDomainName(host) ? host : undefined;
  }
}

/** The host name of an origin, without the brackets of an IPv6 address. */
function hostOf(origin: string): string {
  return new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1');
}

function isDomainName(host: string): boolean {
  return host !== '' && isIP(host) === 0;
}
