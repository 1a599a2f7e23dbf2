/*
 * axe-core on every screen of the element (WCAG 2.1 A and AA rules, contrast included), and the
 * parts a screen-reader or keyboard user relies on.
 */
import { expect } from 'chai';
import { http } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers, type OtpLoginHandlersOptions } from '../../src/mocks/index.js';
import type { OtpLoginQr, OtpLoginQrStatus } from '../../src/widget/index.js';
import { mockServer } from '../support/mock-server.js';
import { until } from '../support/until.js';
import { confirmWebsite } from './confirm-website.js';
import { axe } from './fixtures/axe.bundle.js';
import { mount, part, tearDownWidgets, untilStatus, useMockServer } from './widget-fixture.js';

async function expectNoViolations(element: OtpLoginQr): Promise<void> {
  const results = await axe.run(element, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  });
  const violations = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.html).join(', ')})`,
  );
  expect(violations).to.deep.equal([]);
}

const screens: {
  status: OtpLoginQrStatus;
  options: OtpLoginHandlersOptions;
  act?: (element: OtpLoginQr) => void;
}[] = [
  {
    status: 'pending',
    options: {
      scenario: 'pending',
      holdPending: true,
      sameDeviceUrl: 'https://app.example/#otp=1',
    },
  },
  { status: 'scanned', options: { scenario: 'pending', scannedAt: 1, code: '42', interval: 30 } },
  { status: 'accepted', options: { scenario: 'accept', polls: 1 } },
  { status: 'denied', options: { scenario: 'deny', polls: 1 } },
  { status: 'expired', options: { scenario: 'expire', polls: 1 } },
  {
    status: 'error',
    options: { scenario: 'slow_down', polls: 1, redirectTo: 'javascript:void 0' },
  },
  {
    status: 'idle',
    options: { scenario: 'pending', holdPending: true },
    act: (element) => {
      element.stop();
    },
  },
];

describe('<otp-login-qr> accessibility', () => {
  beforeEach(async () => {
    await useMockServer();
  });

  afterEach(tearDownWidgets);

  for (const { status, options, act } of screens) {
    it(`has no axe violations when ${status}`, async () => {
      mockServer.use(...otpLoginHandlers(options));
      const element = mount({
        endpoint: '/otp-login',
        'max-rotations': '0',
        'same-device': 'always',
      });
      if (act) {
        await untilStatus(element, 'pending');
        act(element);
      }
      await untilStatus(element, status);

      await expectNoViolations(element);
    });
  }

  it('has no axe violations when it asks whether the phone shows the same code', async () => {
    mockServer.use(...confirmWebsite({ kind: 'compare_code', code: '482193' }).handlers);
    const element = mount({ endpoint: '/otp-login', purpose: 'link' });
    await untilStatus(element, 'confirm');

    await expectNoViolations(element);
    expect(part(element, 'status')?.getAttribute('role')).to.equal('status');
    expect(part(element, 'code')?.textContent.trim()).to.equal('482 193');
  });

  it('has no axe violations when it asks for the code the phone shows, and after a wrong one', async () => {
    mockServer.use(...confirmWebsite({ kind: 'enter_code', code: '271828' }).handlers);
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'confirm');
    const input = part(element, 'input') as HTMLInputElement;
    const region = part(element, 'status');

    await expectNoViolations(element);
    expect(input.labels?.length).to.equal(1);
    expect(element.shadowRoot?.activeElement).to.equal(input);

    input.value = '000000';
    input.form?.requestSubmit();
    await until(() => /tries left/.test(region?.textContent ?? ''), 'the wrong code announced');
    expect(part(element, 'status'), 'announced by the same live region').to.equal(region);
    await expectNoViolations(element);
  });

  it('has no axe violations when it links a phone, in Dutch', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login', purpose: 'link', lang: 'nl' });
    await untilStatus(element, 'pending');

    await expectNoViolations(element);
    expect(part(element, 'qr')?.getAttribute('aria-label')).to.match(/koppelen/);
  });

  it('would notice text that a page themes below AA contrast', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login' });
    element.style.setProperty('--otp-login-qr-muted-color', '#d0d0d0');
    await untilStatus(element, 'pending');

    const results = await axe.run(element, { runOnly: ['color-contrast'] });
    expect(results.violations.map((violation) => violation.id)).to.deep.equal(['color-contrast']);
  });

  it('has no axe violations while loading', async () => {
    mockServer.use(http.post('/otp-login', () => new Promise<never>(() => undefined)));
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'loading');

    await expectNoViolations(element);
    expect(part(element, 'qr')?.getAttribute('aria-hidden')).to.equal('true');
  });

  it('announces every status through one polite live region', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'deny', polls: 2, interval: 0 }));
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'pending');
    const region = part(element, 'status');
    expect(region?.getAttribute('role')).to.equal('status');

    await untilStatus(element, 'denied');
    expect(part(element, 'status'), 'the same node, so the change is announced').to.equal(region);
  });

  it('draws the focus ring on the button when it has keyboard focus', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'expire', polls: 1 }));
    const element = mount({ endpoint: '/otp-login', 'max-rotations': '0' });
    await untilStatus(element, 'expired');
    const button = part(element, 'button') as HTMLButtonElement;

    expect(button.tabIndex).to.equal(0);
    button.focus();
    // focus() from script counts as keyboard focus for :focus-visible in every engine.
    expect(getComputedStyle(button).outlineStyle).to.equal('solid');
  });
});
