import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import {
  mount,
  part,
  statusesOf,
  text,
  unmountAll,
  useMockServer,
  untilStatus,
  watchFetch,
  type FetchLog,
} from './widget-fixture.js';

describe('<otp-login-qr> states', () => {
  let log: FetchLog;

  beforeEach(async () => {
    await useMockServer();
    log = watchFetch();
  });

  afterEach(() => {
    unmountAll();
    log.restore();
    mockServer.resetHandlers();
    expectNoUnhandledRequests();
  });

  it('shows a QR code for a new login and waits for the phone', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login' });

    await untilStatus(element, 'pending');

    const qr = part(element, 'qr');
    expect(qr?.getAttribute('role')).to.equal('img');
    expect(qr?.getAttribute('aria-label')).to.match(/QR code/);
    expect(qr?.querySelector('path')?.getAttribute('d')).to.match(/^M/);
    expect(element.getAttribute('status')).to.equal('pending');
    expect(text(element, 'status')).to.equal(
      'Scan this code with the app on your phone to log in.',
    );
    expect(text(element, 'countdown')).to.match(/^New code in [01]:\d\d$/);
    expect(log.requests.slice(0, 2)).to.deep.equal([
      'POST /otp-login',
      'GET /otp-login/mock-login-1?wait=30',
    ]);
  });

  it('goes from pending to scanned (with the number to pick) to accepted', async () => {
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'accept', scannedAt: 2, polls: 3, interval: 0, code: '42' }),
    );
    const element = mount({ endpoint: '/otp-login' });
    const scanned = new Promise<string | undefined>((resolve) => {
      element.addEventListener('otp-login-qr-scanned', (event) => {
        resolve(event.detail.code);
      });
    });
    let accepted: CustomEvent<{ redirectTo: string | undefined }> | undefined;
    element.addEventListener('otp-login-qr-accepted', (event) => {
      accepted = event;
      event.preventDefault();
    });

    await untilStatus(element, 'scanned');
    expect(await scanned).to.equal('42');
    expect(text(element, 'code')).to.equal('42');
    expect(text(element, 'status')).to.equal('Code scanned. On your phone, pick 42 and confirm.');

    await untilStatus(element, 'accepted');
    expect(statusesOf(element)).to.deep.equal(['loading', 'pending', 'scanned', 'accepted']);
    expect(accepted?.detail.redirectTo).to.equal('/');
    expect(accepted?.cancelable).to.equal(true);
    expect(accepted?.bubbles && accepted.composed).to.equal(true);
    expect(text(element, 'status')).to.equal('You are logged in.');
    expect(part(element, 'button')).to.equal(null);
  });
});
