import { isIP } from 'node:net';

/** The most reverse proxies of your own that a server may be told it stands behind. */
export const MAX_TRUSTED_PROXIES = 10;

/**
 * The caller's address behind `hops` reverse proxies of your own (load balancers), read from an
 * `X-Forwarded-For` header (several such headers count as one, joined with commas, as Node and
 * `Headers` join them). Each proxy appends the address it received the request from, so the entry
 * `hops` places from the right is the one your outermost proxy saw: the entries left of it were
 * written by the caller and prove nothing.
 *
 * Undefined when `hops` is 0, when the header is missing or has fewer than `hops` entries (the
 * request did not come through your proxies), or when that entry is not a bare IP address
 * (`unknown`, an address with a port, a name): the caller is then known by its socket address.
 */
export function addressBehindProxies(
  forwardedFor: string | null | undefined,
  hops: number,
): string | undefined {
  if (hops < 1 || !forwardedFor) return undefined;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const candidate = entries[entries.length - hops];
  return candidate !== undefined && isIP(candidate) !== 0 ? candidate : undefined;
}

/** True for a whole number of proxies from 0 to {@link MAX_TRUSTED_PROXIES}. */
export function isTrustedProxyCount(hops: unknown): hops is number {
  return Number.isInteger(hops) && (hops as number) >= 0 && (hops as number) <= MAX_TRUSTED_PROXIES;
}
