import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { normalizeIp } from '../security/ip-address.js';
import type { KitRequestContext } from './kit-config.js';
import type { OtpLoginKit } from './otp-login-kit.js';

/** `::ffff:192.0.2.1` is `192.0.2.1`; kept here, where the kit has always exported it. */
export { normalizeIp } from '../security/ip-address.js';

/** A Node request listener: `(req, res) => void`. */
export type NodeRequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/**
 * The kit (or any `(Request, context) => Promise<Response>` handler) as a Node `http` request
 * listener. The Request/Response conversion is @hono/node-server's: it streams bodies and aborts
 * `request.signal` when the browser goes away, which ends a held long-poll.
 */
export function toNodeHandler(
  handler: Pick<OtpLoginKit, 'fetch'>,
  options: {
    hostname?: string;
    /** What the kit is told of a request's connection. Default `nodeContext`. */
    context?: (incoming: IncomingMessage) => KitRequestContext;
  } = {},
): NodeRequestListener {
  const contextOf = options.context ?? nodeContext;
  const listener = getRequestListener(
    (request, env) => handler.fetch(request, contextOf(env.incoming as IncomingMessage)),
    options.hostname === undefined ? {} : { hostname: options.hostname },
  );
  return (incoming, outgoing) => {
    // getRequestListener answers 500 itself when the handler throws; nothing is left to catch.
    void listener(incoming, outgoing);
  };
}

/** What the kit needs from a Node request that a Web Request lacks: the socket's address. */
export function nodeContext(incoming: IncomingMessage): KitRequestContext {
  const address = incoming.socket.remoteAddress;
  return address === undefined ? {} : { clientIp: normalizeIp(address) };
}
