import { isIP } from 'node:net';
import { addressBehindProxies } from '../security/forwarded-for.js';
import { normalizeIp } from '../security/ip-address.js';
import type { KitRequestContext, OtpLoginKitConfig } from './kit-config.js';

/** The browser's IP address, for rate limits and the Token Server's `ip_address`; undefined if unknown. */
export type ClientAddress = (request: Request, context: KitRequestContext) => string | undefined;

/**
 * The website's `clientIp` function when it has one; else the adapter's address, or, behind
 * `trustedProxies` of the website's own proxies, the one its outermost proxy saw. Anything that
 * is not an IP address counts as unknown.
 */
export function clientAddress(
  clientIp: OtpLoginKitConfig['clientIp'],
  trustedProxies: number,
): ClientAddress {
  const behindProxies: ClientAddress = (request, context) => {
    if (context.resolvedByPlatform === true) return context.clientIp;
    const forwarded = addressBehindProxies(request.headers.get('x-forwarded-for'), trustedProxies);
    return forwarded === undefined ? context.clientIp : normalizeIp(forwarded);
  };
  const find = clientIp ?? behindProxies;
  return (request, context) => {
    const ip = find(request, context);
    return ip !== undefined && isIP(ip) !== 0 ? ip : undefined;
  };
}
