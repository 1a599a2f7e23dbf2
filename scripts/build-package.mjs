#!/usr/bin/env node
// `npm run build` (and `prepack`, so that `npm pack` and `npm publish` of a clean clone are
// complete): everything that package.json's exports, bin and files name.
//   dist/**         the library, compiled by tsc (types, source maps)
//   dist/browser/   the element as one file (scripts/build-widget.mjs)
//   dist/app/       the scanner app, built by Vite, which the Token Server hosts
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
// Nothing left over from an older layout may end up in the package.
rmSync('dist', { recursive: true, force: true });
for (const script of ['build:lib', 'build:widget', 'build:app']) {
  console.log(`> npm run ${script}`);
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', script], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`npm run ${script} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
chmodSync('dist/server/cli/main.js', 0o755);
