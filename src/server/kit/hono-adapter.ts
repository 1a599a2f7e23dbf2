import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { normalizeIp } from '../security/ip-address.js';
import type { KitRequestContext } from './kit-config.js';
import type { OtpLoginKit } from './otp-login-kit.js';

/**
 * A Hono handler for the kit: `app.all('/otp-login/*', otpLoginHono(kit))` (and the kit's other
 * paths), or `app.use(otpLoginMiddleware(kit))` for all of them at once.
 */
export function otpLoginHono(kit: OtpLoginKit) {
  return (c: Context): Promise<Response> => kit.fetch(c.req.raw, honoContext(c));
}

/** A Hono middleware that answers the kit's paths and passes the rest on. */
export function otpLoginMiddleware(kit: OtpLoginKit) {
  return async (c: Context, next: () => Promise<void>): Promise<Response | undefined> => {
    if (!kit.handles(c.req.raw)) {
      await next();
      return undefined;
    }
    return kit.fetch(c.req.raw, honoContext(c));
  };
}

/** The socket address when served by @hono/node-server; nothing elsewhere. */
export function honoContext(c: Context): KitRequestContext {
  try {
    const address = getConnInfo(c).remote.address;
    return address === undefined ? {} : { clientIp: normalizeIp(address) };
  } catch {
    return {};
  }
}
