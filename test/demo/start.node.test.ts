import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, untilPrinted } from '../support/token-server-process.js';

/** `npm start` as a user runs it (without the build step), on free ports in a temporary data dir. */
async function startLauncher(extra: string[] = []) {
  const dataDir = await mkdtemp(join(tmpdir(), 'otp-start-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      'scripts/start.mjs',
      '--skip-build',
      '--data-dir',
      dataDir,
      '--token-server-port',
      String(ports[0]),
      '--demo-port',
      String(ports[1]),
      '--app-port',
      String(ports[2]),
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'error' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await untilPrinted(child, () => output, 'Press Ctrl-C to stop.');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, ports, dataDir, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  // 'close', not 'exit': by then everything it printed has been read.
  const closed = once(child, 'close');
  child.kill('SIGINT');
  const [code] = (await closed) as [number | null];
  return code;
}

describe('npm start', () => {
  it('serves the Token Server, the demo website and the PWA as three origins, and stops on Ctrl-C', async () => {
    const { child, ports, dataDir, output } = await startLauncher();
    try {
      const [tokenPort, demoPort, appPort] = ports;
      assert.match(output(), new RegExp(`Token Server +http://localhost:${tokenPort}`));
      assert.match(output(), new RegExp(`Demo website +http://localhost:${demoPort}`));
      assert.match(output(), new RegExp(`Scanner app +http://localhost:${appPort}`));

      const health = await fetch(`http://127.0.0.1:${tokenPort}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok' });

      const home = await fetch(`http://127.0.0.1:${demoPort}/`);
      assert.equal(home.status, 200);
      assert.match(
        home.headers.get('content-security-policy') ?? '',
        /^default-src 'self'; script-src 'self'/,
      );
      assert.match(await home.text(), /Log in with your phone/);

      const config = await fetch(`http://127.0.0.1:${appPort}/config.json`);
      assert.deepEqual(await config.json(), { tokenServerUrl: `http://localhost:${tokenPort}` });
      assert.match(
        config.headers.get('content-security-policy') ?? '',
        new RegExp(`connect-src 'self' http://localhost:${tokenPort};`),
      );

      // The Token Server lets the PWA's origin call the mobile API (CORS).
      const preflight = await fetch(`http://127.0.0.1:${tokenPort}/api/mobile/v1/enrollments/x`, {
        method: 'OPTIONS',
        headers: {
          Origin: `http://localhost:${appPort}`,
          'Access-Control-Request-Method': 'POST',
        },
      });
      assert.equal(
        preflight.headers.get('access-control-allow-origin'),
        `http://localhost:${appPort}`,
      );

      // The demo reaches the Token Server with its client credentials: a login starts.
      const started = await fetch(`http://127.0.0.1:${demoPort}/otp-login`, {
        method: 'POST',
        headers: { Origin: `http://localhost:${demoPort}` },
      });
      assert.equal(started.status, 201);
      const { qr } = (await started.json()) as { qr: string };
      assert.ok(qr.startsWith(`HTTP://LOCALHOST:${appPort}/#1`));
    } finally {
      assert.equal(await stop(child), 0);
      await rm(dataDir, { recursive: true, force: true });
    }
    assert.ok(output().includes('stopping'));
  });

  it('--https serves all three over TLS with a generated certificate and prints a QR code', async () => {
    const { child, ports, dataDir, output } = await startLauncher([
      '--https',
      '--host',
      '127.0.0.1',
    ]);
    try {
      const ca = await readFile(join(dataDir, 'tls', 'localhost-cert.pem'), 'utf8');
      for (const port of ports) {
        const status = await new Promise<number>((resolve, reject) => {
          const request = httpsRequest(
            { host: '127.0.0.1', port, path: port === ports[0] ? '/healthz' : '/', ca },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          );
          request.on('error', reject);
          request.end();
        });
        assert.ok(
          status === 200 || (port === ports[2] && status === 404),
          `port ${port}: ${status}`,
        );
      }
      assert.match(output(), /Scanner app +https:\/\//);
      assert.ok(output().includes('\u001b[40m  \u001b[0m')); // the QR code's dark modules
    } finally {
      assert.equal(await stop(child), 0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--demo-port', 'seventy'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(output, /--demo-port must be a port number/);
  });
});
