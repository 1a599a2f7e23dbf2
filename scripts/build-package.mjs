#!/usr/bin/env node
// `npm run build` (and `prepack`, so that `npm pack` and `npm publish` of a clean clone are
// complete): everything that package.json's exports, bin and files name.
//   dist/**         the library, compiled by tsc (types, source maps)
//   dist/browser/   the element as one file (scripts/build-widget.mjs)
//   dist/app/       the scanner app, built by Vite, which the Token Server hosts
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmRunOrExit } from './npm-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
// Nothing left over from an older layout may end up in the package.
rmSync('dist', { recursive: true, force: true });
for (const script of ['build:lib', 'build:widget', 'build:app']) npmRunOrExit(script);
chmodSync('dist/server/cli/main.js', 0o755);
