import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { addressBehindProxies } from '../security/forwarded-for.js';

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
 * `X-Forwarded-For` (see {@link addressBehindProxies}): the entry your outermost proxy wrote. A
 * request without enough entries, or whose entry is not an address, did not come through the
 * proxies as they write it and is known by its socket address.
 */
export function clientIpBehindProxies(hops: number): (c: Context) => string | null {
  return (c) => addressBehindProxies(c.req.header('x-forwarded-for'), hops) ?? socketIp(c);
}
