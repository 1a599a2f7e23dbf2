// Browser tests: every *.test.ts under test/ except the Node-only ones (*.node.test.ts), in
// Chromium, Firefox and WebKit. See README.md, "Tests".
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { selectedBrowsers } from './test/support/launchers/browsers.mjs';

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

export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  middleware: [serveMswWorker],
  browsers: selectedBrowsers(),
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
};
