import { QrPayloadError } from './qr-payload-error.js';

/*
 * The URL form: an https URL of the scanner app with the code in the fragment, e.g.
 * `HTTPS://SCAN.EXAMPLE.COM/#1…`. A phone's own camera app opens it, so the app starts straight in
 * the flow; and a fragment never reaches a server, so the code stays out of access logs.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when `text` starts with a URL scheme (`name:`). Base64 and digits never contain a colon. */
export function hasScheme(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text);
}

/** True for hosts on this machine, where plain http is allowed for development. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/** Splits a URL-form text into the app URL and the code in its fragment. */
export function parseAppUrl(text: string): { appUrl: string; code: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new QrPayloadError('invalid_url', 'The code is not a valid URL.', { cause });
  }
  assertAllowedOrigin(url);
  if (url.username !== '' || url.password !== '') {
    throw new QrPayloadError('invalid_url', 'A URL with a user name or password is not accepted.');
  }
  const fragment = url.hash.slice(1);
  if (fragment === '') {
    throw new QrPayloadError('missing_code', 'The URL holds no code.');
  }
  return { appUrl: `${url.origin}${url.pathname}${url.search}`, code: percentDecode(fragment) };
}

/**
 * Puts a code into the fragment of the app URL. Scheme and host are written in capitals (they are
 * case-insensitive), so that a QR encoder can store them in alphanumeric mode.
 */
export function formatAppUrl(appUrl: string, code: string): string {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    throw new TypeError('appUrl must be an absolute URL.');
  }
  try {
    assertAllowedOrigin(url);
  } catch (error) {
    throw new TypeError((error as Error).message);
  }
  if (url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError('appUrl must not have a fragment, a user name or a password.');
  }
  const origin = `${url.protocol}//${url.host}`.toUpperCase();
  return `${origin}${url.pathname}${url.search}#${code}`;
}

function assertAllowedOrigin(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return;
    throw new QrPayloadError(
      'insecure_scheme',
      'Only https URLs are accepted (http only for localhost).',
    );
  }
  throw new QrPayloadError(
    'unsupported_scheme',
    `URLs of the scheme ${url.protocol} are not accepted.`,
  );
}

function percentDecode(fragment: string): string {
  if (!fragment.includes('%')) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch (cause) {
    throw new QrPayloadError('invalid_percent_encoding', 'The code in the URL is badly escaped.', {
      cause,
    });
  }
}
