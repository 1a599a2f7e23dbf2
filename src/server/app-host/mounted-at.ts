/**
 * Serves `handler` under a path prefix of another server: `/app/x` reaches the handler as `/x`,
 * and `/app` is redirected to `/app/` so that the app's relative URLs resolve under the prefix.
 * Returns undefined for requests outside the prefix, which the caller answers itself. The app is
 * static: under the prefix only GET and HEAD are served.
 */
export function mountedAt(
  prefix: string,
  handler: (request: Request) => Response | Promise<Response>,
): (request: Request) => Response | Promise<Response> | undefined {
  if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(prefix)) {
    throw new TypeError(`A mount path is like "/app", with no trailing slash; got "${prefix}".`);
  }
  return (request) => {
    const url = new URL(request.url);
    if (url.pathname === prefix) {
      return new Response(null, {
        status: 308,
        headers: { Location: `${prefix}/${url.search}` },
      });
    }
    if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    url.pathname = url.pathname.slice(prefix.length);
    return handler(
      new Request(url, {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
      }),
    );
  };
}
