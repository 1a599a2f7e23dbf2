import { randomBytes } from 'node:crypto';
import { digestsEqual, sha256Hex } from '../security/hashing.js';

/*
 * The binding cookie ties a login to the browser that started it: the QR may be photographed,
 * but only the browser holding this HttpOnly cookie can poll for the outcome and get the session.
 */

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface CookieOptions {
  /** Cookie name; `__Host-` is prefixed on https. Default `otp_login_binding`. */
  name?: string;
  /** Seconds the browser keeps the cookie. Default 3600. */
  maxAge?: number;
}

export class BindingCookie {
  readonly name: string;
  private readonly secure: boolean;
  private readonly maxAge: number;

  constructor(secure: boolean, options: CookieOptions = {}) {
    const base = options.name ?? 'otp_login_binding';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(base))
      throw new TypeError('cookie.name must be 1 to 64 characters of A-Z a-z 0-9 _ -.');
    this.secure = secure;
    // `__Host-` pins the cookie to this exact origin: no Domain, Path=/, Secure.
    this.name = secure ? `__Host-${base}` : base;
    this.maxAge = options.maxAge ?? 3600;
  }

  /** The browser's binding secret, if it sent a well-formed one. */
  read(request: Request): string | undefined {
    const value = readCookie(request.headers.get('cookie'), this.name);
    return value !== undefined && SECRET_PATTERN.test(value) ? value : undefined;
  }

  /** A new secret: 256 bits from the CSPRNG, base64url. */
  static newSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  static hash(secret: string): string {
    return sha256Hex(secret);
  }

  /** True when the request carries the secret whose hash is `expectedHash`; constant time. */
  matches(request: Request, expectedHash: string): boolean {
    const secret = this.read(request);
    // Hash something even without a cookie, so both paths cost the same.
    const presented = sha256Hex(secret ?? '');
    return digestsEqual(presented, expectedHash) && secret !== undefined;
  }

  /** The Set-Cookie header value that gives the browser `secret`. */
  serialize(secret: string): string {
    return serializeCookie(this.name, secret, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: this.secure,
      path: '/',
      maxAge: this.maxAge,
    });
  }
}

export interface SerializeCookieOptions {
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  path?: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge?: number;
}

/** A Set-Cookie header value. Names and values must be cookie-safe already (no escaping here). */
export function serializeCookie(
  name: string,
  value: string,
  options: SerializeCookieOptions = {},
): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TypeError('Invalid cookie name.');
  if (!/^[!#-+\--:<-[\]-~]*$/.test(value)) throw new TypeError('Invalid cookie value.');
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`);
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

/** The value of cookie `name` in a Cookie header; the first one wins, as browsers send it. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (header === null || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
