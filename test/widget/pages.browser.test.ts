/*
 * The element in the pages it must work in: a page under a strict CSP (in an iframe, with the
 * element's source served as modules), a React 19 page and a Vue 3 page.
 */
import { expect } from 'chai';
import { http, passthrough } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import type { OtpLoginQr, OtpLoginQrAcceptedDetail } from '../../src/widget/index.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import { until } from '../support/until.js';
import { confirmWebsite } from './confirm-website.js';
import { renderReactPage } from './fixtures/react-page.bundle.js';
import { mountVuePage } from './fixtures/vue-page.bundle.js';
import '../../src/widget/define.js';
import { part, settleAfterUnmount, useMockServer } from './widget-fixture.js';

const cleanups: (() => void)[] = [];

/**
 * The framed page's own files reach MSW's worker too (it serves the frame's requests with the
 * top page's handlers): let them through to the test server.
 */
const frameFiles = [
  '/test/*',
  '/src/*',
  '/node_modules/*',
  '/__wds-outside-root__/*',
  '/__web-dev-server*',
].map((path) => http.get(path, () => passthrough()));

function loadFrame(src: string): Promise<HTMLIFrameElement> {
  mockServer.use(...frameFiles);
  const frame = document.createElement('iframe');
  frame.src = src;
  document.body.append(frame);
  cleanups.push(() => {
    frame.remove();
  });
  return new Promise((resolve) => {
    frame.addEventListener(
      'load',
      () => {
        resolve(frame);
      },
      { once: true },
    );
  });
}

function frameWindow(frame: HTMLIFrameElement): Window & { cspViolations?: string[] } {
  const view = frame.contentWindow;
  if (!view) throw new Error('the frame has no window');
  return view;
}

function elementIn(root: ParentNode): OtpLoginQr {
  const element = root.querySelector('otp-login-qr');
  if (!element) throw new Error('no <otp-login-qr>');
  return element;
}

function container(): HTMLElement {
  const div = document.createElement('div');
  document.body.append(div);
  cleanups.push(() => {
    div.remove();
  });
  return div;
}

/** `METHOD path` of every request the mock worker received in this test, frames' included. */
const received: string[] = [];
function receive({ request }: { request: Request }): void {
  received.push(`${request.method} ${new URL(request.url).pathname}`);
}

describe('<otp-login-qr> in real pages', () => {
  beforeEach(async () => {
    await useMockServer();
    received.length = 0;
    mockServer.events.on('request:start', receive);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    // The top page's requests (React's and Vue's elements); a frame's are waited for in its test.
    await settleAfterUnmount();
    mockServer.events.removeListener('request:start', receive);
    mockServer.resetHandlers();
    expectNoUnhandledRequests();
  });

  it('works under a strict CSP, with adopted stylesheets and no violation', async () => {
    mockServer.use(
      ...otpLoginHandlers({ endpoint: '/csp/otp-login', scenario: 'pending', holdPending: true }),
    );
    const frame = await loadFrame('/test/widget/fixtures/strict-csp.html');
    const view = frameWindow(frame);
    const element = elementIn(view.document);

    await until(() => element.status === 'pending', 'the QR in the CSP page', 15_000);
    // Its held poll is with the mock worker: removing the frame cannot send it there late.
    await until(
      () => received.some((request) => request.startsWith('GET /csp/otp-login/')),
      'the poll of the element in the CSP page',
    );
    await element.updateComplete;
    expect(part(element, 'qr')?.querySelector('path')?.getAttribute('d')).to.match(/^M/);
    expect(element.shadowRoot?.adoptedStyleSheets.length).to.be.greaterThan(0);
    expect(view.getComputedStyle(part(element, 'status') as Element).fontWeight).to.equal('600');
    expect(view.cspViolations).to.deep.equal([]);

    // The policy is in force: an inline style attribute is refused and reported.
    view.document.body.setAttribute('style', 'color: red');
    await until(() => (view.cspViolations?.length ?? 0) > 0, 'a reported violation');
  });

  it('goes to redirect_to after an accepted login, unless a listener prevents it', async () => {
    mockServer.use(
      ...otpLoginHandlers({
        endpoint: '/csp/otp-login',
        scenario: 'accept',
        polls: 1,
        redirectTo: '/test/widget/fixtures/landed.html?from=login',
      }),
    );
    const frame = await loadFrame('/test/widget/fixtures/strict-csp.html');
    const landed = new Promise<void>((resolve) => {
      frame.addEventListener(
        'load',
        () => {
          resolve();
        },
        { once: true },
      );
    });

    await landed;
    const where = frameWindow(frame).location;
    expect(`${where.pathname}${where.search}`).to.equal(
      '/test/widget/fixtures/landed.html?from=login',
    );
  });

  it('goes to redirect_to once the user says the phone shows the same code, under a strict CSP', async () => {
    const website = confirmWebsite({
      kind: 'compare_code',
      code: '482193',
      endpoint: '/csp/otp-login',
      redirectTo: '/test/widget/fixtures/landed.html?from=link',
    });
    mockServer.use(...website.handlers);
    const frame = await loadFrame('/test/widget/fixtures/strict-csp.html');
    const view = frameWindow(frame);
    const element = elementIn(view.document);
    await until(() => element.status === 'confirm', 'the code to compare', 15_000);
    await element.updateComplete;
    expect(part(element, 'code')?.textContent.trim()).to.equal('482 193');
    // The confirmation screen (its form and input too) needs nothing the policy refuses.
    expect(view.cspViolations).to.deep.equal([]);
    const landed = new Promise<void>((resolve) => {
      frame.addEventListener(
        'load',
        () => {
          resolve();
        },
        { once: true },
      );
    });

    element.shadowRoot?.querySelector('button')?.click();

    await landed;
    const where = frameWindow(frame).location;
    expect(`${where.pathname}${where.search}`).to.equal(
      '/test/widget/fixtures/landed.html?from=link',
    );
    expect(website.confirmations).to.deep.equal([{ matches: true }]);
  });

  it('works in a React 19 page: properties, events and the default that React prevents', async () => {
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'accept', scannedAt: 1, polls: 2, interval: 0 }),
    );
    const accepted: OtpLoginQrAcceptedDetail[] = [];
    const page = container();
    const root = renderReactPage(page, {
      endpoint: '/otp-login',
      onAccepted: (detail) => accepted.push(detail),
    });
    cleanups.unshift(() => {
      root.unmount();
    });

    await until(() => accepted.length === 1, 'the accepted event in React');
    await until(() => page.textContent.includes('React sees: accepted'), 'React to re-render');
    expect(accepted[0]?.redirectTo).to.equal('/');
    const element = elementIn(page);
    expect(element.maxRotations).to.equal(0);
    expect(element.getAttribute('status')).to.equal('accepted');
  });

  it('works in a Vue 3 page built from render functions', async () => {
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'accept', scannedAt: 1, polls: 2, interval: 0 }),
    );
    const accepted: OtpLoginQrAcceptedDetail[] = [];
    const page = container();
    const app = mountVuePage(page, {
      endpoint: '/otp-login',
      onAccepted: (detail) => accepted.push(detail),
    });
    cleanups.unshift(() => {
      app.unmount();
    });

    await until(() => accepted.length === 1, 'the accepted event in Vue');
    await until(() => page.textContent.includes('Vue sees: accepted'), 'Vue to re-render');
    expect(accepted[0]?.redirectTo).to.equal('/');
    const element = elementIn(page);
    expect(element.maxRotations).to.equal(0);
    expect(element.getAttribute('status')).to.equal('accepted');
  });
});
