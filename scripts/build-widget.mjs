// Builds the drop-in element: src/widget/define.ts with everything it needs (Lit, lean-qr) as one
// minified ES module, dist/browser/otp-login-qr.js, for
// <script type="module" src="/otp-login-qr.js"></script>.
// Usage: npm run build:widget  (prints the file's size, raw and gzipped)
//
// A plain library build: esbuild bundles, terser minifies, and a source map follows both. Nothing
// here names or rewrites a dependency's code; Lit goes in as its production build publishes it.
// The npm entries (dist/widget/*.js, built by tsc) import `lit` instead, so that a site that
// uses Lit shares one copy with the element.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minifyHTMLLiterals } from 'minify-literals';
import { minify } from 'terser';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WIDGET_BUNDLE = `${root}dist/browser/otp-login-qr.js`;

/** The packages that are not the element's own code: what `ownCode` leaves out. */
const DEPENDENCIES = ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-html/*', 'lit-element/*'];
const QR_ENCODER = ['lean-qr', 'lean-qr/*'];

/**
 * The project's own css`` stylesheets, minified by minify-literals (clean-css); the dependencies'
 * code is left as published. The html`` and svg`` templates stay as written: Lit hydrates a
 * server-rendered element only with the very template strings the server rendered (it matches
 * them by a hash), and a server renders them from the npm entries, which tsc leaves as written.
 */
const minifyOwnStylesheets = {
  name: 'minify-own-stylesheets',
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const minified = await minifyHTMLLiterals(source, {
        fileName: path,
        shouldMinify: () => false,
      });
      return { contents: minified?.code ?? source, loader: 'ts' };
    });
  },
};

/**
 * The project's own private members (`private _poller`, `_handleRestartClick` …: an underscore
 * and a lower-case letter) get short names. Lit's production build and lean-qr have no property
 * of that shape (Lit's cross-copy protocol is `_$…`, which this leaves alone), and no page, Lit or
 * the DOM reads them.
 */
const OWN_PRIVATE_MEMBERS = /^_[a-z]\w*$/;

/**
 * Bundles the element; `external` leaves packages out (for measuring the element's own code).
 * Returns the minified code and its source map.
 */
async function bundle(external = []) {
  const { outputFiles } = await build({
    entryPoints: [`${root}src/widget/define.ts`],
    outfile: WIDGET_BUNDLE,
    bundle: true,
    external,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit's production build: no dev-mode warnings or checks.
    conditions: ['browser', 'production'],
    tsconfig: `${root}tsconfig.json`,
    mangleProps: OWN_PRIVATE_MEMBERS,
    // Licences (Lit's BSD-3-Clause notices) go to otp-login-qr.js.LEGAL.txt next to the bundle.
    legalComments: 'external',
    plugins: [minifyOwnStylesheets],
    sourcemap: 'external',
    write: false,
    logLevel: 'warning',
  });
  const output = (suffix) => outputFiles.find((file) => file.path.endsWith(suffix));
  const minified = await minify(output('.js').text, {
    module: true,
    ecma: 2022,
    // A hidden source map: otp-login-qr.js.map is written next to the bundle (load it in the
    // browser's developer tools), but the bundle does not link to it, so pages that serve only
    // the script cause no request for a map they do not have.
    sourceMap: { content: output('.js.map').text, includeSources: true },
  });
  if (minified.code === undefined) throw new Error('terser returned no code');
  return { code: minified.code, map: minified.map, legal: output('.LEGAL.txt')?.contents };
}

function gzipBytes(text) {
  return gzipSync(Buffer.from(text), { level: 9 }).byteLength;
}

/** Builds the bundle and returns its size in bytes, minified and gzipped. */
export async function buildWidget() {
  await mkdir(dirname(WIDGET_BUNDLE), { recursive: true });
  const { code, map, legal } = await bundle();
  await Promise.all([
    writeFile(WIDGET_BUNDLE, code),
    writeFile(`${WIDGET_BUNDLE}.map`, String(map)),
    legal && writeFile(`${WIDGET_BUNDLE}.LEGAL.txt`, legal),
  ]);
  return { path: WIDGET_BUNDLE, min: Buffer.byteLength(code), gzip: gzipBytes(code) };
}

/**
 * The element's own code (its templates, styles, languages, contract parser and poller), built
 * the same way but without Lit and the QR encoder: what a page that already has those pays.
 */
export async function measureOwnCode() {
  const { code } = await bundle([...DEPENDENCIES, ...QR_ENCODER]);
  return { min: Buffer.byteLength(code), gzip: gzipBytes(code) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, min, gzip } = await buildWidget();
  console.log(
    `${relative(process.cwd(), path)}: ${(min / 1024).toFixed(1)} KiB min, ${(gzip / 1024).toFixed(1)} KiB gzip`,
  );
}
