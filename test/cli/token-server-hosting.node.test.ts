/*
 * The Token Server as the command runs it: where it hosts the scanner app, and the refusals of
 * settings it cannot work with.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mountedAt } from '../../src/server/app-host/mounted-at.js';
import {
  importOptionalPeer,
  MissingPeerDependencyError,
} from '../../src/server/packaging/optional-peer.js';
import { loadTokenServerEnvironment } from '../../src/server/token-server/load-config.js';

describe('the scanner app under /app of the Token Server', () => {
  const seen: string[] = [];
  const app = mountedAt('/app', (request) => {
    seen.push(new URL(request.url).pathname);
    return new Response('app');
  });

  it('serves /app/… as the app’s own paths', async () => {
    const response = await app(new Request('https://tokens.example.com/app/assets/x.js'));
    assert.equal(await response?.text(), 'app');
    assert.deepEqual(seen.splice(0), ['/assets/x.js']);
  });

  it('sends /app to /app/, so that the app’s relative URLs resolve under it', async () => {
    const response = await app(new Request('https://tokens.example.com/app?x=1'));
    assert.ok(response);
    assert.equal(response.status, 308);
    assert.equal(response.headers.get('Location'), '/app/?x=1');
  });

  it('leaves the Token Server’s own paths alone, and /application too', () => {
    assert.equal(app(new Request('https://tokens.example.com/healthz')), undefined);
    assert.equal(app(new Request('https://tokens.example.com/application')), undefined);
    assert.deepEqual(seen, []);
  });

  it('serves only GET and HEAD: the app is static', async () => {
    const response = await app(
      new Request('https://tokens.example.com/app/config.json', { method: 'POST', body: '{}' }),
    );
    assert.equal(response?.status, 405);
    assert.deepEqual(seen, []);
  });

  it('refuses a mount path it cannot serve', () => {
    assert.throws(() => mountedAt('/app/', () => new Response()), TypeError);
    assert.throws(() => mountedAt('app', () => new Response()), TypeError);
  });
});

describe('TOKEN_SERVER_PUBLIC_URL and TOKEN_SERVER_APP', () => {
  let dir: string;
  let configPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'otp-hosting-'));
    configPath = join(dir, 'token-server.json');
    await writeFile(configPath, JSON.stringify({ clients: [], types: [], appOrigins: [] }));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hosts the app only when the public URL is known and the app is not turned off', () => {
    const load = (env: Record<string, string>) =>
      loadTokenServerEnvironment({ TOKEN_SERVER_CONFIG: configPath, ...env });
    assert.deepEqual([load({}).serveApp, load({}).publicUrl], [false, null]);
    const known = load({ TOKEN_SERVER_PUBLIC_URL: 'https://tokens.example.com' });
    assert.deepEqual([known.serveApp, known.publicUrl], [true, 'https://tokens.example.com']);
    assert.equal(
      load({ TOKEN_SERVER_PUBLIC_URL: 'https://tokens.example.com', TOKEN_SERVER_APP: 'off' })
        .serveApp,
      false,
    );
  });

  for (const [env, message] of [
    [{ TOKEN_SERVER_PUBLIC_URL: 'https://tokens.example.com/path' }, /must be an origin/],
    [{ TOKEN_SERVER_PUBLIC_URL: 'tokens.example.com' }, /must be an origin/],
    [{ TOKEN_SERVER_APP: 'yes' }, /TOKEN_SERVER_APP must be "on" or "off"/],
  ] as const) {
    it(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadTokenServerEnvironment({ TOKEN_SERVER_CONFIG: configPath, ...env }), {
        name: 'TypeError',
        message,
      });
    });
  }
});

describe('an optional peer dependency that is not installed', () => {
  it('is named, with the command that installs it', async () => {
    await assert.rejects(
      importOptionalPeer('otp-login-qr-test-absent-package', 'The test store'),
      (error: unknown) => {
        assert.ok(error instanceof MissingPeerDependencyError);
        assert.equal(error.code, 'missing_peer_dependency');
        assert.equal(error.packageName, 'otp-login-qr-test-absent-package');
        assert.match(
          error.message,
          /^The test store needs the package "otp-login-qr-test-absent-package", which is not installed\. .*npm install otp-login-qr-test-absent-package$/,
        );
        return true;
      },
    );
  });

  it('is told apart from a package that is there but fails to load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'otp-peer-'));
    const broken = join(dir, 'broken.mjs');
    await writeFile(broken, "import 'otp-login-qr-test-absent-inner';\n");
    try {
      // The missing module is another one than asked for: its own error is the story.
      await assert.rejects(importOptionalPeer(broken, 'The test store'), (error: unknown) => {
        assert.ok(!(error instanceof MissingPeerDependencyError));
        assert.match(String(error), /otp-login-qr-test-absent-inner/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
