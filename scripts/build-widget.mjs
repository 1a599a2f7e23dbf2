// Builds the drop-in element: src/widget/define.ts with everything it needs (Lit, lean-qr) as one
// minified ES module, dist/browser/otp-login-qr.js, for
// <script type="module" src="/otp-login-qr.js"></script>.
// Usage: npm run build:widget  (prints the file's size, raw and gzipped)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import { minify as minifyWithOxc } from 'rolldown/utils';
import { minify } from 'terser';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WIDGET_BUNDLE = `${root}dist/browser/otp-login-qr.js`;

/**
 * Property names that only the widget's own code reads and writes inside the bundle, which esbuild
 * shortens (it never picks a name that another property in the bundle has): the private members
 * of the element and its controller (`private _name`; Lit's own internals are `_$…` and stay), and
 * these: the message catalogues' keys and the controller's members that the element uses. Never
 * listed: anything the page, Lit, the DOM or the website sees — the element's properties and
 * methods, Lit's lifecycle and `static` names, event detail fields, JSON fields (`status`, `code`,
 * `interval`, `redirect_to` …), and names that DOM objects also have (the controller's `encode`
 * option shares its name with TextEncoder's method, so it is not here).
 */
const INTERNAL_PROPERTIES = [
  // src/widget/messages.ts: the sentences that are not looked up by status name.
  'qrLabel',
  'scannedWithCode',
  'stopped',
  'refreshesIn',
  'expiresIn',
  'newCode',
  'tryAgain',
  'openApp',
  // src/widget/login-poll-controller.ts: what the element reads from its controller.
  'login',
  'expiresAt',
  'secondsLeft',
  'isLastCode',
  'sync',
  'statusChanged',
  'isSafeRedirect',
  'baseSeconds',
  'maxSeconds',
  // src/protocol/website-contract.ts: WEBSITE_CONTRACT_LIMITS, read only by its parser.
  'idLength',
  'codeLength',
  'urlLength',
  'maxExpiresIn',
  'maxInterval',
];

/**
 * Lit's css`` and html`` templates stay as written. This minifies the widget's own stylesheets
 * (css`` or unsafeCSS(`…`)) with esbuild's CSS minifier, and squeezes the indentation out of its
 * html``/svg`` templates: a line break and the indentation around it become nothing next to `<`
 * or `>`, one space elsewhere (so attributes stay apart). Templates with a template inside are
 * left alone.
 */
const minifyLitTemplates = {
  name: 'minify-lit-templates',
  setup(plugin) {
    plugin.onLoad({ filter: /src[\\/]widget[\\/][^\\/]+\.ts$/ }, async ({ path }) => {
      let contents = await readFile(path, 'utf8');
      for (const [whole, head, body, tail] of contents.matchAll(
        /(\bcss`|\bunsafeCSS\(`)([^`$]*)(`)/g,
      )) {
        const { code } = await transform(body, { loader: 'css', minify: true });
        // `var(--x, y)` → `var(--x,y)`: the same value for any property but a custom one.
        const css = code.trim().replace(/var\((--[\w-]+), /g, 'var($1,');
        contents = contents.replace(whole, `${head}${css}${tail}`);
      }
      contents = contents.replace(/\b(html|svg)`([^`]*)`/g, (whole, tag, body) => {
        if (/\b(html|svg)$/.test(body)) return whole;
        const squeezed = body
          .replace(/\s*\n\s*([<>])/g, '$1')
          .replace(/>\s*\n\s*/g, '>')
          .replace(/\s*\n\s*/g, ' ');
        return `${tag}\`${squeezed}\``;
      });
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * lean-qr's nano encoder returns its bitmap with a `toCanvas()` method and the image-data helper
 * behind it. The element draws the code as an SVG path (lean-qr/extras/svg, which reads only
 * `size` and `get()`) and never calls them, but esbuild cannot drop unused methods from an object
 * literal, so this leaves them out (0.4 KiB minified, 0.2 KiB gzip). Should lean-qr's source
 * change shape, the build warns and keeps the module whole.
 */
const dropLeanQrCanvas = {
  name: 'drop-lean-qr-canvas',
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]lean-qr[\\/]nano\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      // `,u(context,{on,off,pad…}){…},toCanvas(canvas,options){…}` in the bitmap's literal.
      const canvasMethods = /,[\w$]+\(\w,\{on:[^]*?,toCanvas\(\w,\w\)\{[^{}]*\}/;
      const contents = source.replace(canvasMethods, '');
      if (contents === source || contents.includes('toCanvas')) {
        const text = "lean-qr's toCanvas() not found where expected: kept in the bundle";
        return { contents: source, loader: 'js', warnings: [{ text }] };
      }
      return { contents, loader: 'js' };
    });
  },
};

/** Builds the bundle and returns its size in bytes, minified and gzipped. */
export async function buildWidget() {
  await mkdir(dirname(WIDGET_BUNDLE), { recursive: true });
  const { outputFiles } = await build({
    entryPoints: [`${root}src/widget/define.ts`],
    outfile: WIDGET_BUNDLE,
    bundle: true,
    minify: true,
    mangleProps: new RegExp(`^(_[A-Za-z]\\w*|${INTERNAL_PROPERTIES.join('|')})$`),
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit's production build: no dev-mode warnings or checks.
    conditions: ['browser', 'production'],
    tsconfig: `${root}tsconfig.json`,
    // Licences (Lit's BSD-3-Clause notices) go to otp-login-qr.js.LEGAL.txt next to the bundle.
    legalComments: 'external',
    plugins: [minifyLitTemplates, dropLeanQrCanvas],
    sourcemap: 'external',
    write: false,
    logLevel: 'warning',
  });
  const output = (suffix) => outputFiles.find((file) => file.path.endsWith(suffix));
  // A second pass by terser, whose compressor finds what esbuild's leaves (it joins statements,
  // inlines single-use functions and chooses shorter forms over several passes). Tagged templates,
  // property names and the module's export stay as they are.
  const terser = await minify(output('.js').text, {
    module: true,
    ecma: 2022,
    compress: { passes: 2 },
    // A hidden source map: otp-login-qr.js.map is written next to the bundle (load it in the
    // browser's developer tools), but the bundle does not link to it, so pages that serve only
    // the script (the demo, the demo website) cause no request for a map they do not have.
    sourceMap: { content: output('.js.map').text, includeSources: true },
  });
  // A third pass by oxc's minifier (rolldown's, as vite 8 uses it), which still finds shorter
  // forms in terser's output (about 40 B gzip). Its source map continues terser's.
  const oxc = await minifyWithOxc('otp-login-qr.js', terser.code, {
    module: true,
    sourcemap: true,
    inputMap: JSON.parse(terser.map),
  });
  if (oxc.errors.length > 0) throw new Error(oxc.errors.map((error) => error.message).join('\n'));
  const { code } = oxc;
  const map = JSON.stringify(oxc.map);
  await Promise.all([
    writeFile(WIDGET_BUNDLE, code),
    writeFile(`${WIDGET_BUNDLE}.map`, map),
    writeFile(`${WIDGET_BUNDLE}.LEGAL.txt`, output('.LEGAL.txt').contents),
  ]);
  const bytes = Buffer.from(code);
  return {
    path: WIDGET_BUNDLE,
    min: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, min, gzip } = await buildWidget();
  console.log(
    `${relative(process.cwd(), path)}: ${(min / 1024).toFixed(1)} KiB min, ${(gzip / 1024).toFixed(1)} KiB gzip`,
  );
}
