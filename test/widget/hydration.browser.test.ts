/*
 * A page rendered on a server (Next.js, Astro, Eleventy) sends <otp-login-qr> with its shadow
 * root already in the HTML. In the browser, Lit hydrates it: the element takes over the DOM the
 * server sent rather than rendering it again, then asks for its code and goes on as any element.
 * (The server's side is test/widget/server-rendering.node.test.ts.)
 */
// Lit's hydration support goes first, before Lit itself loads: as a page must include it.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { expect } from 'chai';
import { http, passthrough } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import type { OtpLoginQr } from '../../src/widget/index.js';
import { mockServer } from '../support/mock-server.js';
import { part, tearDownWidgets, text, untilStatus, useMockServer } from './widget-fixture.js';

const pages: HTMLElement[] = [];

/**
 * Puts what the server sent for the element with `attributes` into the page, as the browser's
 * parser would (declarative shadow DOM), and returns the element, not yet hydrated:
 * `defer-hydration` holds it until the test lets it go.
 */
async function serverRendered(attributes: Record<string, string>): Promise<OtpLoginQr> {
  // The test's own server renders it; the website's API is the mock.
  mockServer.use(http.get('/server-rendered/otp-login-qr', () => passthrough()));
  const query = new URLSearchParams({ ...attributes, 'defer-hydration': '' });
  const response = await fetch(`/server-rendered/otp-login-qr?${query}`);
  expect(response.ok, 'the server rendered the element').to.equal(true);
  const page = document.createElement('div');
  page.setHTMLUnsafe(await response.text());
  document.body.append(page);
  pages.push(page);
  const element = page.querySelector('otp-login-qr');
  if (!element) throw new Error('the server sent no <otp-login-qr>');
  // Going to redirect_to would take the test page away.
  element.addEventListener('otp-login-qr-accepted', (event) => {
    event.preventDefault();
  });
  return element;
}

describe('<otp-login-qr> rendered on a server, in the browser', () => {
  beforeEach(async () => {
    await useMockServer();
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) page.remove();
    await tearDownWidgets();
  });

  it('shows what the server sent before any script of the element runs', async () => {
    const element = await serverRendered({ endpoint: '/otp-login' });

    expect(element.shadowRoot, 'a declarative shadow root').to.not.equal(null);
    expect(text(element, 'status')).to.equal('Getting a login code…');
    expect(part(element, 'qr')?.getAttribute('class')).to.equal('placeholder');
    expect(element.getAttribute('status')).to.equal('idle');
  });

  it('takes over the DOM the server sent, then logs in as any element', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'accept', polls: 2, interval: 0 }));
    const element = await serverRendered({ endpoint: '/otp-login' });
    const sentByTheServer = part(element, 'status');

    element.removeAttribute('defer-hydration');

    await untilStatus(element, 'pending');
    // Hydrated in place: the same nodes, now showing the code.
    expect(part(element, 'status')).to.equal(sentByTheServer);
    expect(part(element, 'qr')?.getAttribute('role')).to.equal('img');
    expect(element.getAttribute('status')).to.equal('pending');

    await untilStatus(element, 'accepted');
    expect(text(element, 'status')).to.equal('You are logged in.');
  });

  it('speaks the language the page gives it, once hydrated', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'accept', polls: 2, interval: 0 }));
    const element = await serverRendered({ endpoint: '/otp-login', lang: 'nl' });
    expect(text(element, 'status')).to.equal('Inlogcode ophalen…');

    element.removeAttribute('defer-hydration');

    await untilStatus(element, 'pending');
    expect(text(element, 'status')).to.equal(
      'Scan deze code met de app op je telefoon om in te loggen.',
    );
  });
});
