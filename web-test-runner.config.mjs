// Browser tests: every *.test.ts under test/ except the Node-only ones (*.node.test.ts), in
// Chromium, Firefox and WebKit. See README.md, "Tests".
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { builtinModules, createRequire } from 'node:module';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build } from 'esbuild';
import { defaultReporter } from '@web/test-runner';
import { selectedBrowsers } from './test/support/launchers/browsers.mjs';
import { sessionResultsReporter } from './test/support/launchers/session-results-reporter.mjs';

const require = createRequire(import.meta.url);
const mswWorkerPath = require.resolve('msw/mockServiceWorker.js');

/** Serves MSW's service worker at the root, so that its scope covers every test page. */
function serveMswWorker(context, next) {
  if (context.path !== '/mockServiceWorker.js') return next();
  return readFile(mswWorkerPath, 'utf8').then((body) => {
    context.type = 'application/javascript';
    context.body = body;
  });
}

/**
 * `/server-rendered/otp-login-qr?endpoint=…`: the HTML a server sends for the element with these
 * attributes (@lit-labs/ssr, in a Node process of its own), for the hydration tests.
 */
async function serveServerRendered(context, next) {
  if (context.path !== '/server-rendered/otp-login-qr') return next();
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    'test/widget/fixtures/render-on-server.ts',
    JSON.stringify(context.query),
  ]);
  context.type = 'text/html';
  context.body = stdout;
  return undefined;
}

/**
 * The scanner's decoding worker, served as one bundle as the app's build serves it. Unbundled, it
 * is 70 modules (67 of zxing) fetched one by one, and the first worker of a run then took more
 * than a minute in one CI run where three browsers shared two cores.
 */
const DECODE_WORKER = '/src/app/scanner/decode-worker.ts';

/**
 * Vite's `?url` imports (the decoding worker's .wasm): the imported file's path on this server,
 * which serves the project's folder, node_modules included, as Vite's dev server does.
 */
const assetUrls = {
  name: 'asset-urls',
  setup(build) {
    build.onResolve({ filter: /\?url$/ }, async (args) => {
      const resolved = await build.resolve(args.path.slice(0, -'?url'.length), {
        kind: args.kind,
        resolveDir: args.resolveDir,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: 'asset-url' };
    });
    build.onLoad({ filter: /.*/, namespace: 'asset-url' }, (args) => ({
      contents: `export default ${JSON.stringify(`/${relative(process.cwd(), args.path).split(sep).join('/')}`)};`,
      loader: 'js',
    }));
  },
};

/**
 * Serves every `*.bundle.ts` file as one esbuild bundle with its dependencies, for the CommonJS
 * packages that the dev server cannot load as modules (React, @sinonjs/fake-timers), and the
 * decoding worker.
 */
const serveBundles = {
  name: 'serve-bundles',
  async serve(context) {
    if (!context.path.endsWith('.bundle.ts') && context.path !== DECODE_WORKER) return undefined;
    const result = await build({
      entryPoints: [`.${context.path}`],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      tsconfig: 'tsconfig.json',
      define: {
        'process.env.NODE_ENV': '"development"',
        __VUE_OPTIONS_API__: 'true',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
      // Node's modules stay out: the packages only require them when they run in Node.
      external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      plugins: [assetUrls],
      logLevel: 'silent',
    });
    return { body: result.outputFiles[0].text, type: 'js' };
  },
};

export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [serveBundles, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  middleware: [serveMswWorker, serveServerRendered],
  browsers: selectedBrowsers(),
  reporters: [defaultReporter(), sessionResultsReporter()],
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
};
