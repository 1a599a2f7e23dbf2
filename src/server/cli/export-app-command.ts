import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prebuiltAppDir } from '../app-host/prebuilt-app.js';
import { decoderWorkerCsp, pwaCsp } from '../app-host/pwa-static-server.js';
import { webOrigin } from './web-origin.js';

export const EXPORT_APP_USAGE = `otp-login-qr export-app DIR --token-server URL [--force]

Writes the prebuilt scanner app, with the config.json that points it at your Token Server, into
DIR, for hosting on an origin of its own. Add that origin to "appOrigins" in the Token Server's
configuration. (The Token Server hosts the same app at /app/ when it knows its publicUrl.)`;

export function runExportApp(args: readonly string[], cwd: string): string {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      'token-server': { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new TypeError('Give one folder to write the app into.');
  }
  const tokenServer = webOrigin(values['token-server'], '--token-server');
  const dir = resolve(cwd, target);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !values.force) {
    throw new TypeError(`${dir} is not empty; add --force to write into it.`);
  }
  cpSync(prebuiltAppDir(), dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ tokenServerUrl: tokenServer })}\n`);
  return [
    `Wrote the scanner app to ${dir}. Serve it over https with these response headers:`,
    '',
    `  Content-Security-Policy: ${pwaCsp(tokenServer)}`,
    '  (for assets/decode-worker-*.js, where the QR decoder may compile WebAssembly:',
    `   Content-Security-Policy: ${decoderWorkerCsp(tokenServer)})`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: no-referrer',
    '  Permissions-Policy: camera=(self)',
    '  Cache-Control: no-cache   (for /sw.js, /index.html, /, /manifest.webmanifest, /config.json)',
    '',
    'docs/deploy.md has an nginx example.',
  ].join('\n');
}
