/*
 * The `purpose` attribute: the same element, worded for linking a phone rather than logging in.
 */
import { expect } from 'chai';
import { http } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { otpLoginHandlers } from '../../src/mocks/index.js';
import type { OtpLoginQr } from '../../src/widget/index.js';
import { mockServer } from '../support/mock-server.js';
import { until } from '../support/until.js';
import {
  mount,
  part,
  tearDownWidgets,
  statusesOf,
  text,
  untilStatus,
  useMockServer,
} from './widget-fixture.js';

const label = (element: OtpLoginQr) => part(element, 'qr')?.getAttribute('aria-label');

describe('<otp-login-qr purpose>', () => {
  beforeEach(async () => {
    await useMockServer();
  });

  afterEach(tearDownWidgets);

  it('speaks of linking the phone with purpose="link", from loading to linked', async () => {
    let answerStart: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (answerStart = resolve));
    mockServer.use(
      http.post('/otp-login', async () => {
        await started;
      }),
      ...otpLoginHandlers({ scenario: 'accept', scannedAt: 2, polls: 3, interval: 0 }),
    );
    const element = mount({ endpoint: '/otp-login', purpose: 'link' });
    expect(element.purpose).to.equal('link');

    await untilStatus(element, 'loading');
    expect(text(element, 'status')).to.equal('Getting a linking code…');
    answerStart();

    await untilStatus(element, 'pending');
    expect(text(element, 'status')).to.equal(
      'Scan this code with the app on your phone to link it.',
    );
    expect(label(element)).to.equal(
      'QR code to link your phone: scan it with the app on your phone',
    );
    expect(text(element, 'countdown')).to.match(/^New code in [01]:\d\d$/);

    await untilStatus(element, 'accepted');
    expect(text(element, 'status')).to.equal('Your phone is linked.');
    // Only the wording differs: the same statuses as a login.
    expect(statusesOf(element)).to.deep.equal(['loading', 'pending', 'scanned', 'accepted']);
  });

  it('speaks of linking in Dutch too', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'accept', polls: 2, interval: 0 }));
    const element = mount({ endpoint: '/otp-login', purpose: 'link' }, 'nl');

    await untilStatus(element, 'pending');
    expect(text(element, 'status')).to.equal(
      'Scan deze code met de app op je telefoon om hem te koppelen.',
    );
    expect(label(element)).to.equal('QR-code om te koppelen: scan hem met de app op je telefoon');

    await untilStatus(element, 'accepted');
    expect(text(element, 'status')).to.equal('Je telefoon is gekoppeld.');
  });

  it('says "Koppelcode ophalen…" while it fetches a Dutch linking code', async () => {
    mockServer.use(http.post('/otp-login', () => new Promise<never>(() => undefined)));
    const element = mount({ endpoint: '/otp-login', purpose: 'link', lang: 'nl' });

    await untilStatus(element, 'loading');
    expect(text(element, 'status')).to.equal('Koppelcode ophalen…');
  });

  it('speaks of linking when it is refused and when it is stopped, in both languages', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'deny', polls: 1 }));
    const english = mount({ endpoint: '/otp-login', purpose: 'link' });
    const dutch = mount({ endpoint: '/otp-login', purpose: 'link' }, 'nl');

    await untilStatus(english, 'denied');
    await untilStatus(dutch, 'denied');
    // Refused on the phone, or the codes differed: nothing linked, and a stranger may have the code.
    expect(text(english, 'status')).to.equal(
      'Nothing was linked. Another phone may have scanned the code: try again, with your own phone.',
    );
    expect(text(dutch, 'status')).to.equal(
      'Er is niets gekoppeld. Misschien heeft een andere telefoon de code gescand: probeer het opnieuw, met je eigen telefoon.',
    );

    english.stop();
    dutch.stop();
    await untilStatus(english, 'idle');
    await untilStatus(dutch, 'idle');
    expect(text(english, 'status')).to.equal('Linking with a code is paused.');
    expect(text(dutch, 'status')).to.equal('Koppelen met een code is gepauzeerd.');
  });

  it('speaks of logging in by default, with purpose="login" and with an unknown purpose', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const byDefault = mount({ endpoint: '/otp-login' });
    const login = mount({ endpoint: '/otp-login', purpose: 'login' });
    const unknown = mount({ endpoint: '/otp-login', purpose: 'enrol' });
    const unknownDutch = mount({ endpoint: '/otp-login', purpose: 'LINK' }, 'nl');
    expect(byDefault.purpose).to.equal('login');

    for (const element of [byDefault, login, unknown]) {
      await untilStatus(element, 'pending');
      expect(text(element, 'status')).to.equal(
        'Scan this code with the app on your phone to log in.',
      );
      expect(label(element)).to.equal('QR code to log in: scan it with the app on your phone');
    }
    await untilStatus(unknownDutch, 'pending');
    expect(text(unknownDutch, 'status')).to.equal(
      'Scan deze code met de app op je telefoon om in te loggen.',
    );
  });

  it('rewords itself when the purpose changes while a code is shown, and keeps the code', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login' });
    await untilStatus(element, 'pending');
    const drawn = part(element, 'qr')?.querySelector('path')?.getAttribute('d');

    element.purpose = 'link';
    await until(() => text(element, 'status').endsWith('to link it.'), 'the link wording');
    expect(label(element)).to.equal(
      'QR code to link your phone: scan it with the app on your phone',
    );

    element.setAttribute('purpose', 'login');
    await until(() => text(element, 'status').endsWith('to log in.'), 'the login wording');

    element.setAttribute('purpose', 'link');
    await until(() => text(element, 'status').endsWith('to link it.'), 'the link wording again');
    element.removeAttribute('purpose');
    await until(() => text(element, 'status').endsWith('to log in.'), 'login once removed');

    expect(element.status).to.equal('pending');
    expect(statusesOf(element)).to.deep.equal(['loading', 'pending']);
    expect(part(element, 'qr')?.querySelector('path')?.getAttribute('d')).to.equal(drawn);
  });
});
