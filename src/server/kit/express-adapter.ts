import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from './node-adapter.js';
import type { OtpLoginKit } from './otp-login-kit.js';

/**
 * An Express (4 or 5) middleware: requests for the kit's paths are answered by the kit, others
 * go on to `next()`. Mount it at the root (`app.use(otpLoginExpress(kit))`) and before any body
 * parser, since the kit reads the raw body of the callback itself.
 */
export function otpLoginExpress(kit: OtpLoginKit) {
  const listener = toNodeHandler(kit);
  return (
    request: IncomingMessage & { originalUrl?: string },
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
