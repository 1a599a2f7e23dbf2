import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALLBACK_URI, setUpKit } from './kit-harness.js';

describe('relying-party kit: its paths', () => {
  it('refuses a path that a router would read as a pattern', () => {
    for (const path of ['/otp:login', '/otp-login/*', '/otp-{login}', 'otp-login', '/otp?x'])
      assert.throws(
        () => setUpKit({ login: { path, type: 'otp', onLogin: () => ({ redirectTo: '/' }) } }),
        TypeError,
        path,
      );
    assert.throws(() => setUpKit({ callbackUri: 'http://127.0.0.1:9/call:back' }), TypeError);
  });

  it('takes the callback at exactly the path of callbackUri, a trailing slash too', async () => {
    const { kit } = setUpKit({ callbackUri: `${CALLBACK_URI}/` });
    const callback = (path: string) =>
      new Request(`http://site.test${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ callback_uri: `${CALLBACK_URI}/`, transaction_id: 'abc' }),
      });
    assert.equal(kit.handles(callback('/callback/')), true);
    assert.equal((await kit.fetch(callback('/callback/'))).status, 204);
    assert.equal(kit.handles(callback('/callback')), false);
  });

  it("takes a flow's start at its path without the configured trailing slash, and its polls on GET only", () => {
    const { kit } = setUpKit({
      login: { path: '/otp-login/', type: 'otp', onLogin: () => ({ redirectTo: '/' }) },
    });
    const start = new Request('http://site.test/otp-login', { method: 'POST' });
    assert.equal(kit.handles(start), true);
    assert.equal(
      kit.handles(new Request('http://site.test/otp-login/', { method: 'POST' })),
      false,
    );
    assert.equal(kit.handles(new Request('http://site.test/otp-login/any-id')), true);
    assert.equal(
      kit.handles(new Request('http://site.test/otp-login/any-id', { method: 'HEAD' })),
      false,
    );
  });
});
