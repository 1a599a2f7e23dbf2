import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The caller's address as the TCP connection shows it. */
export function socketIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (e.g. app.request() in tests)
  }
}

/**
 * The caller's address behind `hops` reverse proxies of your own (load balancers), from
 * `X-Forwarded-For`. Each proxy appends the address it received the request from, so the entry
 * `hops` places from the right is the one your outermost proxy saw: the entries left of it were
 * written by the caller and prove nothing. A request without enough entries did not come
 * through the proxies and is known by its socket address.
 */
export function clientIpBehindProxies(hops: number): (c: Context) => string | null {
  return (c) => {
    const entries = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const candidate = entries[entries.length - hops];
    if (candidate === undefined || isIP(candidate) === 0) return socketIp(c);
    return candidate;
  };
}
