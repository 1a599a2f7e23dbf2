// Builds the drop-in element: src/widget/define.ts with everything it needs (Lit, lean-qr) as one
// minified ES module, dist/browser/otp-login-qr.js, for
// <script type="module" src="/otp-login-qr.js"></script>.
// Usage: npm run build:widget  (prints the file's size, raw and gzipped)
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WIDGET_BUNDLE = `${root}dist/browser/otp-login-qr.js`;

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

/** Builds the bundle and returns its size in bytes, minified and gzipped. */
export async function buildWidget() {
  await mkdir(dirname(WIDGET_BUNDLE), { recursive: true });
  await build({
    entryPoints: [`${root}src/widget/define.ts`],
    outfile: WIDGET_BUNDLE,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit's production build: no dev-mode warnings or checks.
    conditions: ['browser', 'production'],
    tsconfig: `${root}tsconfig.json`,
    // Licences (Lit's BSD-3-Clause notices) go to otp-login-qr.js.LEGAL.txt next to the bundle.
    legalComments: 'external',
    plugins: [minifyLitTemplates],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const code = await readFile(WIDGET_BUNDLE);
  return {
    path: WIDGET_BUNDLE,
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, min, gzip } = await buildWidget();
  console.log(
    `${relative(process.cwd(), path)}: ${(min / 1024).toFixed(1)} KiB min, ${(gzip / 1024).toFixed(1)} KiB gzip`,
  );
}
