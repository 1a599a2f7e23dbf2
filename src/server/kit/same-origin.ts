/**
 * True when a browser sent `request` from a page of `origin`: the CSRF check for requests that
 * change state. `Origin` must equal `origin`; a page with `Referrer-Policy: no-referrer` makes
 * browsers send `Origin: null` even to their own origin, and then `Sec-Fetch-Site: same-origin`
 * (a header that page scripts cannot set) decides. Anything else is refused.
 */
export function isSameOriginRequest(request: Request, origin: string): boolean {
  const sent = request.headers.get('origin');
  if (sent !== null && sent !== 'null') return sent === origin;
  return request.headers.get('sec-fetch-site') === 'same-origin';
}
