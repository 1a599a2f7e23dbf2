import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeIp } from '../security/ip-address.js';
import type { KitRequestContext } from './kit-config.js';
import { nodeContext, toNodeHandler } from './node-adapter.js';
import type { OtpLoginKit } from './otp-login-kit.js';

/** What the adapter reads of Express's request, beyond Node's. */
type ExpressRequest = IncomingMessage & {
  originalUrl?: string;
  ip?: string | undefined;
  app?: { get(setting: string): unknown };
};

/**
 * An Express (4 or 5) middleware: requests for the kit's paths are answered by the kit, others
 * go on to `next()`. Mount it at the root (`app.use(otpLoginExpress(kit))`) and before any body
 * parser, since the kit reads the raw body of the callback itself. With the app's `trust proxy`
 * setting on, the browser's address is Express's `req.ip`.
 */
export function otpLoginExpress(kit: OtpLoginKit) {
  const listener = toNodeHandler(kit, { context: expressContext });
  return (
    request: ExpressRequest,
    response: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    const url = request.originalUrl ?? request.url ?? '/';
    const probe = new Request(new URL(url, 'http://kit.invalid'), {
      method: request.method ?? 'GET',
    });
    if (!kit.handles(probe)) {
      next();
      return;
    }
    // Express strips a mount path from req.url; the kit routes on the full path.
    request.url = url;
    listener(request, response);
  };
}

/**
 * With `trust proxy` on, Express has found the browser behind the proxies it trusts (`req.ip`,
 * from X-Forwarded-For by that setting's rules): the kit takes that address as resolved. Else the
 * socket address, as for plain Node.
 */
export function expressContext(incoming: IncomingMessage): KitRequestContext {
  const request = incoming as ExpressRequest;
  if (!request.app?.get('trust proxy')) return nodeContext(incoming);
  const ip = request.ip;
  return ip === undefined || ip === ''
    ? { resolvedByPlatform: true }
    : { clientIp: normalizeIp(ip), resolvedByPlatform: true };
}
