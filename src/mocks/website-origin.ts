/**
 * True when a page of `origin` sent `request`: the relying-party kit's CSRF check on starting a
 * login. `Origin` must equal `origin`; `Origin: null` (a page with `Referrer-Policy: no-referrer`)
 * passes only with `Sec-Fetch-Site: same-origin`.
 *
 * A browser puts `Origin` on the request only after its service worker has seen it, so in a page
 * the request MSW hands over has none: there, the page's own origin is the one the website would
 * have seen. Outside a page (Node), a request without `Origin` is refused, as the kit refuses it.
 */
export function isSentFromOrigin(request: Request, origin: string): boolean {
  const sent = request.headers.get('origin') ?? pageOrigin();
  if (sent !== null && sent !== 'null') return sent === origin;
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

function pageOrigin(): string | null {
  return typeof location === 'undefined' ? null : location.origin;
}
