// Builds the drop-in element: src/widget/define.ts with everything it needs (Lit, lean-qr) as one
// minified ES module, dist/browser/otp-login-qr.js, for
// <script type="module" src="/otp-login-qr.js"></script>.
// Usage: npm run build:widget  (prints the file's size, raw and gzipped)
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WIDGET_BUNDLE = `${root}dist/browser/otp-login-qr.js`;

/**
 * Lit's css`` templates stay as written; this squeezes the widget's own stylesheet (comments,
 * indentation, spaces around punctuation) before esbuild minifies the rest.
 */
const minifyLitCss = {
  name: 'minify-lit-css',
  setup(plugin) {
    plugin.onLoad({ filter: /\.styles\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const contents = source.replace(/css`([^`]*)`/g, (_, body) => {
        const squeezed = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${squeezed}\``;
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
    legalComments: 'linked',
    plugins: [minifyLitCss],
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
