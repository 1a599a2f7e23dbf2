/*
 * The mocked website's binding cookie, as the relying-party kit sets it: it ties a login to the
 * browser that started it, and a status request without it learns nothing.
 */

const BASE_NAME = 'otp_login_binding';
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The cookie's name for a website at `url`: `__Host-` prefixed on https, as the kit names it. */
export function bindingCookieName(url: string): string {
  return isHttps(url) ? `__Host-${BASE_NAME}` : BASE_NAME;
}

/** The secret a browser sent, if it sent a well-formed one (a browser's earlier one is kept). */
export function readBindingSecret(
  cookies: Record<string, string>,
  url: string,
): string | undefined {
  const secret = cookies[bindingCookieName(url)];
  return secret !== undefined && SECRET.test(secret) ? secret : undefined;
}

/** 256 random bits, base64url: 43 characters. */
export function newBindingSecret(): string {
  let binary = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(32)))
    binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, and Secure on https. */
export function bindingCookie(secret: string, url: string): string {
  const secure = isHttps(url) ? '; Secure' : '';
  return `${bindingCookieName(url)}=${secret}; Path=/; Max-Age=3600; HttpOnly${secure}; SameSite=Strict`;
}

function isHttps(url: string): boolean {
  return new URL(url).protocol === 'https:';
}
