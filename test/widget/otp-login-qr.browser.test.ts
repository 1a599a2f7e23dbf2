import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import { nothingHappensFor, until } from '../support/until.js';
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
  settleAfterUnmount,
} from './widget-fixture.js';

describe('<otp-login-qr> states', () => {
  let log: FetchLog;

  beforeEach(async () => {
    await useMockServer();
    log = watchFetch();
  });

  afterEach(async () => {
    unmountAll();
    log.restore();
    await settleAfterUnmount();
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

  it('shows a refusal from the phone, and starts again on "Try again"', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'deny', polls: 1 }));
    const element = mount({ endpoint: '/otp-login' });
    const denied = new Promise<Event>((resolve) => {
      element.addEventListener('otp-login-qr-denied', resolve);
    });

    await untilStatus(element, 'denied');
    expect((await denied).bubbles).to.equal(true);
    expect(text(element, 'status')).to.equal('The login was refused on your phone.');
    expect(part(element, 'qr')?.getAttribute('role')).to.equal(null);
    const button = part(element, 'button') as HTMLButtonElement;
    expect(button.textContent.trim()).to.equal('Try again');

    button.click();
    await untilStatus(element, 'pending');
    expect(log.requests.filter((request) => request.startsWith('POST'))).to.have.length(2);
  });

  it('shows "Get a new code" when the website says the code expired and no rotation is left', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'expire', polls: 1 }));
    const element = mount({ endpoint: '/otp-login', 'max-rotations': '0' });
    const expired = new Promise<number>((resolve) => {
      element.addEventListener('otp-login-qr-expired', (event) => {
        resolve(event.detail.rotations);
      });
    });

    await untilStatus(element, 'expired');
    expect(await expired).to.equal(0);
    expect(text(element, 'status')).to.equal('This code has expired.');
    expect(text(element, 'button')).to.equal('Get a new code');
  });

  it('replaces an unused code before it runs out, at most max-rotations times', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true, expiresIn: 1 }));
    const element = mount({ endpoint: '/otp-login', 'max-rotations': '2' });
    const expired = new Promise<number>((resolve) => {
      element.addEventListener('otp-login-qr-expired', (event) => {
        resolve(event.detail.rotations);
      });
    });
    const drawn = new Set<string>();
    element.addEventListener('otp-login-qr-status', () => {
      void element.updateComplete.then(() => {
        const d = part(element, 'qr')?.querySelector('path')?.getAttribute('d');
        if (d) drawn.add(d);
      });
    });

    await untilStatus(element, 'pending');
    await until(
      () => log.requests.includes('POST /otp-login') && startsOf(log) === 3,
      '2 rotations',
    );
    await until(() => text(element, 'countdown').startsWith('Code expires in'), 'the last code');
    expect(await expired).to.equal(2);
    expect(startsOf(log)).to.equal(3);
    expect(log.maxInFlight).to.equal(1);
    expect(element.status).to.equal('expired');

    const button = part(element, 'button') as HTMLButtonElement;
    button.focus();
    expect(element.shadowRoot?.activeElement).to.equal(button);
    button.click();
    await untilStatus(element, 'pending');
    expect(startsOf(log)).to.equal(4);
    expect(drawn.size).to.be.greaterThan(0);
  });

  it('keeps a scanned code past its time: the website decides when it ends', async () => {
    mockServer.use(
      ...otpLoginHandlers({
        scenario: 'expire',
        scannedAt: 1,
        polls: 3,
        expiresIn: 1,
        interval: 1,
      }),
    );
    const element = mount({ endpoint: '/otp-login', 'max-rotations': '3' });

    await untilStatus(element, 'scanned');
    await untilStatus(element, 'expired');
    expect(startsOf(log), 'no rotation while the phone holds the code').to.equal(1);
  });

  it('stop() ends all traffic and offers a new code; restart() starts again', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login' });
    await until(() => log.inFlight === 1 && log.requests.length === 2, 'a held poll');

    element.stop();
    await untilStatus(element, 'idle');
    expect(log.inFlight).to.equal(0);
    expect(text(element, 'status')).to.equal('Logging in with a code is paused.');
    expect(text(element, 'button')).to.equal('Get a new code');
    await nothingHappensFor(200);
    expect(log.requests, 'no request once stopped').to.have.length(2);

    element.restart();
    await untilStatus(element, 'pending');
    expect(startsOf(log)).to.equal(2);
  });

  it('starts a new login when the endpoint changes', async () => {
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'pending', holdPending: true }),
      ...otpLoginHandlers({ endpoint: '/other-login', scenario: 'deny', polls: 1 }),
    );
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'pending');

    element.endpoint = '/other-login';
    await untilStatus(element, 'denied');
    expect(log.requests).to.include('POST /other-login');
  });

  it('makes no request out of the page, and starts when connected', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = document.createElement('otp-login-qr');
    element.endpoint = '/otp-login';
    element.restart();
    await nothingHappensFor(100);
    expect(log.requests).to.deep.equal([]);

    const wrapper = mount();
    wrapper.replaceWith(element);
    await untilStatus(element, 'pending');
    element.remove();
  });

  it('waits for an endpoint before it starts', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount();
    await element.updateComplete;
    expect(element.status).to.equal('idle');
    expect(part(element, 'button')).to.equal(null);
    expect(log.requests).to.deep.equal([]);

    element.setAttribute('endpoint', '/otp-login');
    await untilStatus(element, 'pending');
  });

  it('offers "Open the app on this device" with same_device_url', async () => {
    mockServer.use(
      ...otpLoginHandlers({
        scenario: 'pending',
        holdPending: true,
        sameDeviceUrl: 'https://app.example/#otp=abc',
      }),
    );
    const element = mount({ endpoint: '/otp-login', 'same-device': 'always' });
    await untilStatus(element, 'pending');

    const link = part(element, 'same-device') as HTMLAnchorElement;
    expect(link.href).to.equal('https://app.example/#otp=abc');
    expect(link.textContent.trim()).to.equal('Open the app on this device');
  });

  for (const coarse of [true, false]) {
    it(`${coarse ? 'offers' : 'does not offer'} the same-device link by default on a ${coarse ? 'touch screen' : 'mouse'}`, async () => {
      mockServer.use(
        ...otpLoginHandlers({
          scenario: 'pending',
          holdPending: true,
          sameDeviceUrl: 'https://app.example/#otp=abc',
        }),
      );
      const realMatchMedia = window.matchMedia.bind(window);
      window.matchMedia = (query: string) =>
        query === '(pointer: coarse)'
          ? (Object.create(realMatchMedia(query), { matches: { value: coarse } }) as MediaQueryList)
          : realMatchMedia(query);
      try {
        const element = mount({ endpoint: '/otp-login' });
        await untilStatus(element, 'pending');

        expect(part(element, 'same-device') !== null).to.equal(coarse);
      } finally {
        window.matchMedia = realMatchMedia;
      }
    });
  }

  it('offers no same-device link for a URL that is not http(s)', async () => {
    mockServer.use(
      ...otpLoginHandlers({
        scenario: 'pending',
        holdPending: true,
        sameDeviceUrl: 'javascript:alert(1)',
      }),
    );
    const element = mount({ endpoint: '/otp-login', 'same-device': 'always' });
    await untilStatus(element, 'pending');

    expect(part(element, 'same-device')).to.equal(null);
  });

  it('speaks Dutch when its own lang, an ancestor or the page says so', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const own = mount({ endpoint: '/otp-login', lang: 'nl' });
    const inherited = mount({ endpoint: '/otp-login' }, 'nl-BE');
    await untilStatus(own, 'pending');
    await untilStatus(inherited, 'pending');

    expect(text(own, 'status')).to.equal(
      'Scan deze code met de app op je telefoon om in te loggen.',
    );
    expect(part(own, 'qr')?.getAttribute('aria-label')).to.match(/^QR-code/);
    expect(text(inherited, 'countdown')).to.match(/^Nieuwe code over/);

    const root = document.documentElement;
    const pageLang = root.lang;
    const english = mount({ endpoint: '/otp-login' });
    await untilStatus(english, 'pending');
    try {
      root.lang = 'nl';
      await until(() => text(english, 'status').startsWith('Scan deze code'), 'Dutch');
      own.lang = 'en';
      await until(() => text(own, 'status').startsWith('Scan this code'), 'English');
    } finally {
      root.lang = pageLang;
    }
  });

  it('draws the QR in the colours of its custom properties, at its size', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login', size: '160', 'error-correction': 'H' });
    element.style.setProperty('--otp-login-qr-foreground', 'rgb(0, 0, 128)');
    element.style.setProperty('--otp-login-qr-background', 'rgb(255, 255, 240)');
    await untilStatus(element, 'pending');

    const qr = part(element, 'qr') as SVGSVGElement;
    expect(qr.getBoundingClientRect().width).to.equal(160);
    expect(getComputedStyle(qr.querySelector('path') as Element).fill).to.equal('rgb(0, 0, 128)');
    expect(getComputedStyle(qr.querySelector('rect') as Element).fill).to.equal(
      'rgb(255, 255, 240)',
    );
    const highDetail = qr.querySelector('path')?.getAttribute('d');
    element.errorCorrection = 'L';
    await element.updateComplete;
    expect(qr.querySelector('path')?.getAttribute('d')).not.to.equal(highDetail);
  });
});

function startsOf(log: FetchLog): number {
  return log.requests.filter((request) => request.startsWith('POST')).length;
}
