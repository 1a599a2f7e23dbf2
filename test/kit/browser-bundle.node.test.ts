/*
 * The kit serves the element's one-file script, so a page needs only the tag and one script URL;
 * pages rendered on the server link its versioned URL, which browsers may keep for a year.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { loadBrowserBundle } from '../../src/server/kit/browser-bundle.js';
import { otpLoginExpress, toNodeHandler } from '../../src/server/kit/index.js';
import { SITE, setUpKit } from './kit-harness.js';

const SCRIPT = "customElements.define('otp-login-qr', class extends HTMLElement {});\n";
const VERSION = createHash('sha256').update(SCRIPT).digest('hex').slice(0, 16);
const IMMUTABLE = 'public, max-age=31536000, immutable';

let folder = '';
let file = '';
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'otp-login-bundle-'));
  file = join(folder, 'otp-login-qr.js');
  await writeFile(file, SCRIPT);
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

function setUpBundleKit() {
  return setUpKit({ browserBundle: { path: '/otp-login-qr.js', file } }).kit;
}

function get(path: string, init: RequestInit = {}): Request {
  return new Request(`${SITE}${path}`, init);
}

describe('the kit serves the element’s script', () => {
  it('names it by a hash of its bytes, for pages rendered on the server', () => {
    assert.equal(setUpBundleKit().browserBundleUrl, `/otp-login-qr.js?v=${VERSION}`);
  });

  it('as JavaScript that no browser may sniff as anything else', async () => {
    const response = await setUpBundleKit().fetch(get('/otp-login-qr.js'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('etag'), `"${VERSION}"`);
    assert.equal(await response.text(), SCRIPT);
  });

  it('for a year at its versioned URL; without it, or with an old version, checked every time', async () => {
    const kit = setUpBundleKit();
    const versioned = await kit.fetch(get(kit.browserBundleUrl ?? ''));
    assert.equal(versioned.headers.get('cache-control'), IMMUTABLE);
    assert.equal(await versioned.text(), SCRIPT);
    for (const path of ['/otp-login-qr.js', '/otp-login-qr.js?v=0123456789abcdef']) {
      const response = await kit.fetch(get(path));
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('cache-control'), 'no-cache', path);
      assert.equal(await response.text(), SCRIPT, path);
    }
  });

  it('answers 304 without a body when the browser has this version', async () => {
    const kit = setUpBundleKit();
    for (const tag of [`"${VERSION}"`, `W/"${VERSION}"`, `"0123456789abcdef", "${VERSION}"`]) {
      const response = await kit.fetch(
        get('/otp-login-qr.js', { headers: { 'If-None-Match': tag } }),
      );
      assert.equal(response.status, 304, tag);
      assert.equal(response.headers.get('etag'), `"${VERSION}"`);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(await response.text(), '');
    }
    const stale = await kit.fetch(
      get('/otp-login-qr.js', { headers: { 'If-None-Match': '"0123456789abcdef"' } }),
    );
    assert.equal(stale.status, 200);
    assert.equal(await stale.text(), SCRIPT);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await setUpBundleKit().fetch(get('/otp-login-qr.js', { method: 'HEAD' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(SCRIPT)));
    assert.equal(response.body, null);
  });

  it('handles GET and HEAD of its path, and nothing else there', () => {
    const kit = setUpBundleKit();
    assert.equal(kit.handles(get('/otp-login-qr.js')), true);
    assert.equal(kit.handles(get(`/otp-login-qr.js?v=${VERSION}`)), true);
    assert.equal(kit.handles(get('/otp-login-qr.js', { method: 'HEAD' })), true);
    assert.equal(kit.handles(get('/otp-login-qr.js', { method: 'POST' })), false);
    assert.equal(kit.handles(get('/otp-login-qr.js.map')), false);
    assert.equal(kit.handles(get('/other.js')), false);
  });

  it('is not served unless configured', async () => {
    const { kit } = setUpKit();
    assert.equal(kit.browserBundleUrl, undefined);
    assert.equal(kit.handles(get('/otp-login-qr.js')), false);
    assert.equal((await kit.fetch(get('/otp-login-qr.js'))).status, 404);
  });

  it('gets a new version when the file changes', async () => {
    const changed = join(folder, 'changed.js');
    await writeFile(changed, `${SCRIPT}// v2\n`);
    const { kit } = setUpKit({ browserBundle: { path: '/otp-login-qr.js', file: changed } });
    assert.notEqual(kit.browserBundleUrl, setUpBundleKit().browserBundleUrl);
    assert.match(kit.browserBundleUrl ?? '', /^\/otp-login-qr\.js\?v=[0-9a-f]{16}$/);
  });

  it('over HTTP through Node and Express, GET and HEAD', async () => {
    const kit = setUpBundleKit();
    const app = express();
    app.use(otpLoginExpress(kit));
    const servers: Server[] = [createServer(toNodeHandler(kit)), createServer(app)];
    try {
      for (const server of servers) {
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const got = await fetch(`${base}${kit.browserBundleUrl ?? ''}`);
        assert.equal(got.status, 200);
        assert.equal(got.headers.get('content-type'), 'text/javascript; charset=utf-8');
        assert.equal(got.headers.get('cache-control'), IMMUTABLE);
        assert.equal(await got.text(), SCRIPT);
        const head = await fetch(`${base}/otp-login-qr.js`, { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(SCRIPT)));
        assert.equal(await head.text(), '');
        const again = await fetch(`${base}/otp-login-qr.js`, {
          headers: { 'If-None-Match': got.headers.get('etag') ?? '' },
        });
        assert.equal(again.status, 304);
      }
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('refuses to start with a file it cannot read', () => {
    assert.throws(
      () =>
        setUpKit({ browserBundle: { path: '/otp-login-qr.js', file: join(folder, 'none.js') } }),
      (error: unknown) => error instanceof TypeError && /browserBundle\.file/.test(error.message),
    );
  });

  it('says how to build the package’s own bundle when it is missing', () => {
    const missing = (located: () => string) => () =>
      loadBrowserBundle('/otp-login-qr.js', undefined, located);
    const advice = (error: unknown) =>
      error instanceof TypeError &&
      /bundle of <otp-login-qr> is missing/.test(error.message) &&
      /npm run build:widget/.test(error.message);
    assert.throws(
      missing(() => join(folder, 'dist', 'browser', 'otp-login-qr.js')),
      advice,
    );
    assert.throws(
      missing(() => {
        throw new Error('Package subpath is not defined by "exports"');
      }),
      advice,
    );
  });

  it('takes a path like the kit’s other paths', () => {
    assert.throws(() => setUpKit({ browserBundle: { path: 'otp-login-qr.js', file } }), TypeError);
  });
});
