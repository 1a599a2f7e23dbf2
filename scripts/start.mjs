#!/usr/bin/env node
// `npm start`: builds the widget and the scanner PWA (their own npm scripts), then runs the Token
// Server, the demo website and the PWA as three origins. Options: `npm start -- --help`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmRunOrExit } from './npm-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const { tsImport } = await import('tsx/esm/api');
const start = await tsImport('../src/server/start/index.ts', import.meta.url);
const argv = process.argv.slice(2);
if (start.wantsHelp(argv)) {
  console.log(start.launchUsage());
  process.exit(0);
}

let options;
try {
  options = start.parseLaunchOptions(argv, process.env);
} catch (error) {
  console.error(`${error.message}\n\n${start.launchUsage()}`);
  process.exit(2);
}

if (!options.skipBuild) {
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts ?? {};
  for (const script of ['build:widget', 'build:app']) {
    if (typeof scripts[script] !== 'string') {
      console.error(
        `npm start builds with "npm run ${script}", but package.json has no such script yet.\n` +
          'Start with what is already built: npm start -- --skip-build',
      );
      process.exit(1);
    }
    npmRunOrExit(script);
  }
}

let launched;
try {
  launched = await start.launch(options);
} catch (error) {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
}
console.log(start.describeLaunch(launched, options));

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await launched.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
