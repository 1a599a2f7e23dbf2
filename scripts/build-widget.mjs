// Builds the drop-in element: src/widget/define.ts with everything it needs (Lit, lean-qr) as one
// minified ES module, dist/browser/otp-login-qr.js, for
// <script type="module" src="/otp-login-qr.js"></script>.
// Usage: npm run build:widget  (prints the file's size, raw and gzipped)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
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
 * of the element and its controller (`private _name`; Lit's `_$…` internals: see litCuts), and
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
  // The confirm screens' sentences. Never `matches`: it would rename matchMedia(...).matches.
  'compareQuestion',
  'sameCode',
  'otherCode',
  'enterCode',
  'codeLabel',
  'submitCode',
  'wrongCode',
  'wrongCodes',
  'confirmation',
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

/**
 * Two cuts in this bundle's copy of Lit (its production build, as published), each a text
 * replacement checked against the count expected; should Lit's source change shape, the build
 * fails rather than bundle half of a cut.
 *
 * 1. Lit's `_$…` members (`_$AH`, `_$litType$` …) are the private API by which lit-html,
 *    reactive-element and lit-element talk to each other, also across copies and versions on one
 *    page; that is why Lit's build leaves them readable, and why this bundle may shorten them (see
 *    `mangleProps` below) only where no Lit code outside the bundle can reach this copy's objects.
 *    The element renders only its own templates (never a template result, directive or stylesheet
 *    from elsewhere), into its own shadow root, and the bundle exports only the element's class.
 *    What remains are the page-wide hooks by which another script patches every Lit copy that
 *    loads after it — the polyfill support (for browsers without shadow DOM; none that can run
 *    this bundle) and lit-element's hydration support (for server-rendered elements; this one
 *    never is) — and these call the `_$` members by Lit's names. So this copy looks none of them
 *    up (each becomes `(void 0)`), nor adds itself to `litHtmlVersions` and the like (which only
 *    Lit's development build reads, to warn about several copies).
 * 2. Styles go only through adopted stylesheets (`supportsAdoptingStyleSheets` is true): Lit's
 *    fallback, `<style>` elements, is what a strict CSP without 'unsafe-inline' blocks, and every
 *    browser that runs this ES2022 bundle (class static blocks: Chrome 94, Safari 16.4, Firefox
 *    93) has constructable stylesheets but Firefox 93–100, which are long out of support.
 */
const LIT_CUTS = {
  'lit-html/lit-html.js': { pageHooks: 1, versionLists: 1 },
  '@lit/reactive-element/reactive-element.js': { pageHooks: 1, versionLists: 1 },
  'lit-element/lit-element.js': { pageHooks: 2, versionLists: 1 },
  '@lit/reactive-element/css-tag.js': { adoptedStyleSheetsCheck: 1 },
};
const LIT_PATTERNS = {
  pageHooks: [/\b\w+\.(?:\w+PolyfillSupport|litElementHydrateSupport)\b/g, '(void 0)'],
  versionLists: [/\(\w+\.\w+Versions\?\?=\[\]\)\.push\("[\d.]+"\)/g, '0'],
  // `e=t.ShadowRoot&&(…ShadyCSS…)&&"adoptedStyleSheets"in Document.prototype&&"replace"in …`
  adoptedStyleSheetsCheck: [
    /(\w+=)\w+\.ShadowRoot&&[^,]*"replace"in CSSStyleSheet\.prototype/g,
    '$1!0',
  ],
};
const litCuts = {
  name: 'lit-cuts',
  setup(plugin) {
    const modules = Object.keys(LIT_CUTS);
    const done = new Set();
    plugin.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, async ({ path }) => {
      const module = modules.find((name) => path.endsWith(name.split('/').join(sep)));
      if (!module) return undefined;
      let contents = await readFile(path, 'utf8');
      for (const [cut, expected] of Object.entries(LIT_CUTS[module])) {
        const [pattern, replacement] = LIT_PATTERNS[cut];
        const found = contents.match(pattern)?.length ?? 0;
        if (found !== expected)
          throw new Error(`${module}: ${found} × ${cut} where the build expects ${expected}`);
        contents = contents.replace(pattern, replacement);
      }
      done.add(module);
      return { contents, loader: 'js' };
    });
    plugin.onEnd(({ errors }) => {
      const missed = modules.filter((name) => !done.has(name));
      if (errors.length === 0 && missed.length > 0)
        throw new Error(`Lit modules that the build did not cut: ${missed.join(', ')}`);
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
    // The element's own private members (`_name`), Lit's `_$…` (see litCuts), the list.
    mangleProps: new RegExp(`^(_[A-Za-z]\\w*|_\\$[\\w$]+|${INTERNAL_PROPERTIES.join('|')})$`),
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit's production build: no dev-mode warnings or checks.
    conditions: ['browser', 'production'],
    tsconfig: `${root}tsconfig.json`,
    // Licences (Lit's BSD-3-Clause notices) go to otp-login-qr.js.LEGAL.txt next to the bundle.
    legalComments: 'external',
    plugins: [minifyLitTemplates, dropLeanQrCanvas, litCuts],
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
