/*
 * A website that renders its pages on a server (Next.js, Astro, Eleventy) includes
 * <otp-login-qr> in the HTML it sends: the element renders in Node with @lit-labs/ssr, touching
 * nothing that only a browser has, and starts no login there. (The browser's side, hydrating what
 * the server sent, is test/widget/hydration.browser.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOnServer } from './server-rendered.js';

/** The text of the status sentence in the rendered shadow root. */
function statusSentence(rendered: string): string | undefined {
  const match = /<p part="status" role="status">(?:<!--[^>]*-->)*([^<]*)/.exec(rendered);
  return match?.[1];
}

describe('<otp-login-qr> rendered on a server', () => {
  it('sends the element with its shadow root as declarative shadow DOM, styles and all', () => {
    const rendered = renderOnServer({ endpoint: '/login' });

    assert.match(rendered, /<otp-login-qr[^>]* endpoint="\/login"/);
    assert.match(rendered, /<template shadowroot="open" shadowrootmode="open">/);
    assert.match(rendered, /<style>[^<]*:host\s*\{/);
    // The placeholder holds the QR's place until the browser has a code: nothing jumps.
    assert.match(rendered, /<svg[^>]*part="qr"[^>]*class="placeholder"/);
  });

  it('shows where the login stands in its status attribute, before any script runs', () => {
    assert.match(renderOnServer({ endpoint: '/login' }), /<otp-login-qr[^>]* status="idle"/);
  });

  it('starts no login on the server, and looks as it will while the browser asks for a code', () => {
    const rendered = renderOnServer({ endpoint: '/login' });

    assert.equal(statusSentence(rendered), 'Getting a login code…');
    assert.match(rendered, /<svg[^>]*class="placeholder"[^]*<circle/);
    assert.doesNotMatch(rendered, /role="img"/);
    assert.doesNotMatch(rendered, /part="countdown"/);
    // No "Get a new code" to press before any script runs.
    assert.doesNotMatch(rendered, /<button/);
  });

  it('speaks the language of its own lang attribute, and English without one', () => {
    assert.equal(
      statusSentence(renderOnServer({ endpoint: '/login', lang: 'nl' })),
      'Inlogcode ophalen…',
    );
    assert.equal(statusSentence(renderOnServer({ endpoint: '/login' })), 'Getting a login code…');
  });

  it('renders the size and the purpose a page gives it', () => {
    const rendered = renderOnServer({ endpoint: '/link', purpose: 'link', size: '160' });

    assert.match(rendered, /<svg[^>]*width="160"/);
    assert.equal(statusSentence(rendered), 'Getting a linking code…');
  });

  it('without an endpoint yet, says nothing and offers nothing', () => {
    const rendered = renderOnServer();

    assert.equal(statusSentence(rendered), '');
    assert.doesNotMatch(rendered, /<button/);
  });
});
