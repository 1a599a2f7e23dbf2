// Runs `npm run <script>` with the output shown, and ends this process if it fails: the build
// steps of `npm start` and `npm run build`.
import { spawnSync } from 'node:child_process';

/** @param {string} script */
export function npmRunOrExit(script) {
  console.log(`> npm run ${script}`);
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', script], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`npm run ${script} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
