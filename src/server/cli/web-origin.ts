const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads a URL given on the command line, for `what` (named in the error). Phones need https for
 * the camera and for WebCrypto, so plain http is accepted only on this machine's own addresses,
 * for trying things out.
 */
export function webUrl(text: string | undefined, what: string): URL {
  if (text === undefined || text === '') throw new TypeError(`Give ${what}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${what} must be a URL such as https://www.example.com; got "${text}".`);
  }
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  ) {
    throw new TypeError(
      `${what} must use https (plain http only on localhost, for trying it out); got "${text}".`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new TypeError(`${what} must not hold a user name, password or #fragment; got "${text}".`);
  }
  return url;
}

/** Like webUrl, for a value that must be an origin (no path or query). */
export function webOrigin(text: string | undefined, what: string): string {
  const url = webUrl(text, what);
  if (url.pathname !== '/' || url.search !== '') {
    throw new TypeError(`${what} must be an origin, with no path, such as ${url.origin}.`);
  }
  return url.origin;
}
