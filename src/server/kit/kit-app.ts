import { Hono } from 'hono';
import type { BrowserBundle } from './browser-bundle.js';
import type { CallbackHandler } from './callback-handler.js';
import type { ConfirmHandler } from './confirm-handler.js';
import { failed, notKitPath } from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import type { KitFlow } from './kit-flow.js';
import type { KitSettings } from './kit-settings.js';
import type { StartHandler } from './start-handler.js';
import type { StatusHandler } from './status-handler.js';

/** What an adapter hands the kit's Hono app besides the request. */
type KitEnv = { Bindings: { context: KitRequestContext } };

/** The kit's routes: which requests are the kit's, and their answers. */
export interface KitApp {
  fetch(request: Request, context: KitRequestContext): Promise<Response>;
  handles(request: Request): boolean;
}

/**
 * The kit as a Hono app: the element's script, the Token Server's callback, and for each flow
 * its start, its polls and its confirmations. Where two routes could match, the first wins, in that order. Paths
 * are matched as they come (percent-encoded), and `handles` asks the same router, so an adapter
 * passes on exactly what the kit would not answer.
 */
export function kitApp(parts: {
  settings: KitSettings;
  flows: readonly KitFlow[];
  bundle: BrowserBundle | undefined;
  start: StartHandler;
  status: StatusHandler;
  confirm: ConfirmHandler;
  callback: CallbackHandler;
}): KitApp {
  const { settings, flows, bundle, start, status, confirm, callback } = parts;
  const app = new Hono<KitEnv>({ getPath: pathOf });
  if (bundle !== undefined) app.on(['GET', 'HEAD'], bundle.path, (c) => bundle.serve(c.req.raw));
  app.post(settings.callbackPath, (c) => callback(c, c.env.context));
  for (const flow of flows) {
    app.post(flow.path, (c) => start(c, c.env.context, flow));
    // Any one path segment, the empty one too: what is not a login id is a 404 of the poll's own.
    app.get(`${flow.path}/:id{[^/]*}`, (c) =>
      // Hono answers HEAD with the GET route; a poll is GET only.
      c.req.method === 'GET'
        ? status(c, c.env.context, flow, pathOf(c.req.raw).slice(flow.path.length + 1))
        : notKitPath(c),
    );
    app.post(`${flow.path}/:id{[^/]*}/confirm`, (c) =>
      confirm(
        c,
        c.env.context,
        flow,
        pathOf(c.req.raw).slice(flow.path.length + 1, -'/confirm'.length),
      ),
    );
  }
  app.notFound(notKitPath);
  app.onError((error, c) => failed(c, error, settings));
  return {
    handles: (request) => app.router.match(request.method, pathOf(request))[0].length > 0,
    fetch: async (request, context) => app.fetch(request, { context }),
  };
}

function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}
