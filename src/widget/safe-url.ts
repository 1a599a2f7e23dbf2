/**
 * `redirect_to` comes from the network, so the element follows it only to an http(s) URL on the
 * page's own origin: never `javascript:`, `data:` or another site (an open redirect).
 */
export function sameOriginUrl(value: string, base: Location | URL = location): URL | undefined {
  const url = webUrl(value, base);
  return url?.origin === base.origin ? url : undefined;
}

/** `same_device_url` opens the scanner app, which is a web app: any http(s) URL, nothing else. */
export function webUrl(value: string, base: Location | URL = location): URL | undefined {
  try {
    const url = new URL(value, base.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
