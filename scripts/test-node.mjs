#!/usr/bin/env node
// Runs every Node-side test with node:test: files named *.test.ts under test/, except the
// browser-only ones (*.browser.test.ts). Plain *.test.ts files run in the browsers too.
// Node 20's --test does not expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && !file.endsWith('.browser.test.ts'))
  .map((file) => join('test', file))
  .filter((file) => only.length === 0 || only.some((part) => file.includes(part)))
  .sort();

if (files.length === 0) {
  console.error('No Node tests found under test/.');
  process.exit(1);
}

// A test that hangs must fail, not hold the whole run until CI gives up on it: each test has
// ten minutes (the slowest, the fault tests under load, take about one), and a file whose tests
// have all finished exits even if something it started is still running.
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-timeout=600000',
    '--test-force-exit',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
