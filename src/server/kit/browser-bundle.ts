import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's one-file browser bundle of `<otp-login-qr>`, as its `exports` name it. */
export const PACKAGE_BROWSER_BUNDLE = 'otp-login-qr/otp-login-qr.js';

/** A year: a versioned URL never changes what it names. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The element's script as the kit serves it: read once, named by a hash of its bytes. */
export interface BrowserBundle {
  /** The URL path it is served at. */
  readonly path: string;
  /** The first 16 hex digits of the SHA-256 of the file: changes whenever the bundle does. */
  readonly version: string;
  /** `{path}?v={version}`: the URL for pages, cached for a year. */
  readonly url: string;
  /** The answer to a `GET` or `HEAD` of `path`. */
  serve(request: Request): Response;
}

/**
 * Reads the bundle to serve at `path`: `file`, else the package's own (resolved by its package
 * name, so it works in a clone too). Throws a TypeError when it cannot be read.
 * `packageBundle` locates the package's own bundle; tests replace it.
 */
export function loadBrowserBundle(
  path: string,
  file: string | undefined,
  packageBundle: () => string = packageBrowserBundleFile,
): BrowserBundle {
  const bytes = file === undefined ? readPackageBundle(packageBundle) : readGivenFile(file);
  const version = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const etag = `"${version}"`;
  return {
    path,
    version,
    url: `${path}?v=${version}`,
    serve(request) {
      // A URL with another version (a page from before a deploy, or a guess) is answered with
      // what is here now, but never cached under that URL.
      const versioned = new URL(request.url).searchParams.get('v') === version;
      const headers = new Headers({
        ETag: etag,
        'Cache-Control': versioned ? IMMUTABLE : 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      if (matchesETag(request.headers.get('if-none-match'), etag))
        return new Response(null, { status: 304, headers });
      headers.set('Content-Type', 'text/javascript; charset=utf-8');
      headers.set('Content-Length', String(bytes.byteLength));
      return new Response(request.method === 'HEAD' ? null : bytes, { status: 200, headers });
    },
  };
}

/** Where the package's own bundle is, by the package's `exports`. */
function packageBrowserBundleFile(): string {
  return fileURLToPath(import.meta.resolve(PACKAGE_BROWSER_BUNDLE));
}

function readPackageBundle(packageBundle: () => string): Uint8Array<ArrayBuffer> {
  let file = PACKAGE_BROWSER_BUNDLE;
  try {
    file = packageBundle();
    return new Uint8Array(readFileSync(file));
  } catch (cause) {
    throw new TypeError(
      `The browser bundle of <otp-login-qr> is missing (${file}). The published package contains ` +
        'it; in a clone of the repository, `npm run build:widget` builds it. Or give ' +
        'browserBundle.file.',
      { cause },
    );
  }
}

function readGivenFile(file: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (cause) {
    throw new TypeError(`browserBundle.file cannot be read: ${file}`, { cause });
  }
}

/** If-None-Match: `*`, or a list of entity tags compared weakly (a `W/` prefix is ignored). */
function matchesETag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}
