import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export interface PwaServerOptions {
  /** The built PWA (Vite's output). */
  root: string;
  /** The Token Server's origin, written into /config.json and allowed in connect-src. */
  tokenServerUrl: string;
}

/** The CSP of every PWA response; the app's own meta CSP applies as well. */
export function pwaCsp(tokenServerOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "worker-src 'self'",
    `connect-src 'self' ${tokenServerOrigin}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The scanner's decoding worker script, as Vite names it (src/app/scanner/qr-decoder.ts creates
 * it from decode-worker.ts): assets/decode-worker-<hash>.js.
 */
const DECODER_WORKER_SCRIPT = /\/assets\/decode-worker-[\w-]+\.js$/;

/**
 * The CSP of the decoding worker's script: the app's, and WebAssembly ('wasm-unsafe-eval', which
 * allows compiling WebAssembly and nothing else: no eval). A dedicated worker takes its policy
 * from its own script's response, not from the page, so WebAssembly runs in that worker only
 * (zxing-cpp, when the fast decoders keep missing); the pages keep `script-src 'self'`.
 */
export function decoderWorkerCsp(tokenServerOrigin: string): string {
  return pwaCsp(tokenServerOrigin).replace(
    "script-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
  );
}

/**
 * Serves the scanner PWA: its files with a strict CSP, the service worker uncached, and
 * /config.json, which tells the app where the Token Server is. The worker keeps the scope of its
 * own folder (no Service-Worker-Allowed): under the Token Server's /app/ it must never control
 * the API's paths.
 */
export function createPwaServer(options: PwaServerOptions): Hono {
  const tokenServerOrigin = new URL(options.tokenServerUrl).origin;
  const csp = pwaCsp(tokenServerOrigin);
  const workerCsp = decoderWorkerCsp(tokenServerOrigin);
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', DECODER_WORKER_SCRIPT.test(c.req.path) ? workerCsp : csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Permissions-Policy', 'camera=(self)');
  });
  app.get('/config.json', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json({ tokenServerUrl: tokenServerOrigin });
  });
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    // The service worker and the pages must be revalidated, or an update never reaches phones.
    if (
      path === '/sw.js' ||
      path.endsWith('.html') ||
      path === '/' ||
      path.endsWith('.webmanifest')
    )
      c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root: options.root }));
  app.notFound((c) => c.text('Not found.', 404));
  return app;
}
