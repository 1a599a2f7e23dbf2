/*
 * The app's screens in order, with MSW standing in for config.json and the Token Server's mobile
 * API (src/mocks' MobileApiMock, which checks signatures, nonces and single use like the server).
 */
import { expect } from 'chai';
import { http, HttpResponse, passthrough, type RequestHandler } from 'msw';
import { afterEach, beforeEach, describe, it } from '#spec';
import { setLocale } from '../../src/app/i18n/locale.js';
import '../../src/app/views/define.js';
import '../../src/app/views/scanner-view.define.js';
import type { HomeView } from '../../src/app/views/home-view.js';
import type { AppScreen, ScannerApp } from '../../src/app/views/scanner-app.js';
import {
  FakePasskeyAuthenticator,
  MobileApiMock,
  type MobileApiMockOptions,
} from '../../src/mocks/index.js';
import { MemoryDeviceStorage, Onegini, OneginiEventListener } from '../../src/sdk/index.js';
import { expectNoUnhandledRequests, mockServer, startMockServer } from '../support/mock-server.js';
import { expectAxeClean } from './support/axe.js';
import { pasteText } from './support/paste.js';
import { until } from '../support/until.js';
import { SCANNER_WAIT_MS, CanvasCamera } from './support/fake-camera-source.js';
import { asRead } from '../support/as-read.js';

class QuietListener extends OneginiEventListener {
  override openAuthOtp(): void {
    // enrollment only
  }
  override closeAuthOtp(): void {
    // enrollment only
  }
}

describe('<scanner-app> with a mocked Token Server', () => {
  let mock: MobileApiMock;
  let storage: MemoryDeviceStorage;
  let onegini: Onegini;
  let camera: CanvasCamera;
  /** The phone's platform authenticator: none, unless a test gives the phone one. */
  let passkeys: FakePasskeyAuthenticator;
  let app: ScannerApp | undefined;
  let started = false;
  let handlers: RequestHandler[] = [];

  async function useMock(options: MobileApiMockOptions = {}): Promise<void> {
    mock = new MobileApiMock(options);
    handlers = [
      http.get('/config.json', () => HttpResponse.json({ tokenServerUrl: mock.tokenServerUrl })),
      // The decoding worker's script and its modules come from the test server itself (WebKit
      // sends a module worker's imports through the page's service worker, so MSW sees them).
      http.get(`${location.origin}/src/*`, () => passthrough()),
      http.get(`${location.origin}/node_modules/*`, () => passthrough()),
      ...mock.handlers,
    ];
    if (started) {
      mockServer.resetHandlers(...handlers);
    } else {
      await startMockServer(...handlers);
      started = true;
    }
  }

  /**
   * Links a phone the way an earlier visit would have: the phone used the code, and (unless
   * `confirmed` is false) the user then confirmed on the website that the codes matched.
   */
  async function linkBeforehand({ confirmed = true } = {}): Promise<void> {
    await onegini.startApplication(new QuietListener(), {
      tokenServerUrl: mock.tokenServerUrl,
      storage,
      passkeyAuthenticator: passkeys,
    });
    const code = mock.enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    if (confirmed) expect(mock.confirmLink(code), 'the website confirms the link').to.equal(true);
  }

  /** Another phone (its own SDK and storage) uses a "Link your phone" code. */
  async function anotherPhoneLinks(code: string): Promise<void> {
    const other = new Onegini();
    await other.startApplication(new QuietListener(), {
      tokenServerUrl: mock.tokenServerUrl,
      storage: new MemoryDeviceStorage(),
    });
    await other.userClient.enrollMobileAuthentication(code);
  }

  /**
   * On the first run, "Paste a link" and the link the website's code holds, as a user whose
   * phone copied it (from a screenshot, say) would: put in the field, then "Use this link".
   */
  async function pasteOnFirstRun(code: string): Promise<void> {
    buttonIn(await screen('first-run'), 'Paste a link').click();
    const scanner = await screen('scanner');
    const input = scanner.shadowRoot?.querySelector<HTMLInputElement>('#code');
    if (input === null || input === undefined) throw new Error('no link field');
    input.value = code;
    buttonIn(scanner, 'Use this link').click();
  }

  /** Which mark the result screen draws (tick, cross, warning), hidden from screen readers. */
  function markOf(result: Element): string {
    const mark = result.shadowRoot?.querySelector('svg.mark');
    expect(mark?.getAttribute('aria-hidden'), 'the title says it in words').to.equal('true');
    return mark?.getAttribute('data-mark') ?? '';
  }

  /** The value shown for a label in a question's list of details. */
  function detail(view: Element, label: string): HTMLElement {
    const row = Array.from(view.shadowRoot?.querySelectorAll('dl > div') ?? []).find(
      (candidate) => asRead(candidate.querySelector('dt')?.textContent ?? '') === label,
    );
    const value = row?.querySelector('dd');
    if (value === null || value === undefined) throw new Error(`no detail "${label}"`);
    return value;
  }

  /** Two buttons the same size: no answer is easier to hit than the other. */
  function expectSameSize(first: HTMLElement, second: HTMLElement): void {
    const [a, b] = [first.getBoundingClientRect(), second.getBoundingClientRect()];
    expect(Math.round(a.width)).to.equal(Math.round(b.width));
    expect(Math.round(a.height)).to.equal(Math.round(b.height));
  }

  const AMSTERDAM_KPN = {
    city: 'Amsterdam',
    country: 'NL',
    operator: 'KPN',
    distance_km: 12,
    credit: 'IP geolocation by DB-IP (db-ip.com)',
  };

  async function mount(): Promise<ScannerApp> {
    const element = document.createElement('scanner-app');
    element.storage = storage;
    element.onegini = onegini;
    element.camera = camera;
    element.passkeyAuthenticator = passkeys;
    const ready = new Promise((resolve) => {
      element.addEventListener('app-ready', resolve, { once: true });
    });
    document.body.append(element);
    app = element;
    await ready;
    return element;
  }

  type ViewElement = HTMLElement & { updateComplete: Promise<boolean> };

  async function screen(name: AppScreen): Promise<ViewElement> {
    await until(
      () => app?.screen === name,
      `the ${name} screen (now ${app?.screen ?? '-'})`,
      SCANNER_WAIT_MS,
    );
    await app?.updateComplete;
    const view = app?.shadowRoot?.querySelector<ViewElement>('main > *');
    if (view === null || view === undefined) throw new Error('no view');
    await view.updateComplete;
    return view;
  }

  function textOf(element: Element): string {
    const root: Node = element.shadowRoot ?? element;
    return asRead(root.textContent ?? '');
  }

  function buttonIn(element: Element, name: string): HTMLButtonElement {
    const found = Array.from(element.shadowRoot?.querySelectorAll('button') ?? []).find(
      (candidate) => candidate.textContent.trim() === name,
    );
    if (found === undefined) throw new Error(`no button "${name}" in ${element.tagName}`);
    return found;
  }

  /** Opens the app with a login code in the fragment, as a phone's camera app would. */
  function deepLink(code: string): void {
    history.replaceState(null, '', `${location.pathname}${location.search}#${code}`);
  }

  beforeEach(async () => {
    setLocale('en');
    storage = new MemoryDeviceStorage();
    onegini = new Onegini();
    camera = new CanvasCamera();
    passkeys = new FakePasskeyAuthenticator({ available: false });
    await useMock();
  });

  afterEach(() => {
    app?.remove();
    app = undefined;
    camera.dispose();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    expectNoUnhandledRequests();
  });

  it('starts with the first-run screen on a phone with no account', async () => {
    await mount();
    const view = await screen('first-run');
    expect(textOf(view)).to.include('Log in by scanning a code');
    expect(textOf(view)).to.include('Link your phone');
    await expectAxeClean(app as ScannerApp);
  });

  it('speaks Dutch on a Dutch phone', async () => {
    setLocale('nl');
    await mount();
    const view = await screen('first-run');
    expect(textOf(view)).to.include('Inloggen door een code te scannen');
    expect(document.documentElement.lang).to.equal('nl');
  });

  it('asks before linking, then shows the code to compare with the linking page', async () => {
    await useMock({ place: AMSTERDAM_KPN, sameNetwork: null });
    const code = mock.enrollmentCode();
    await mount();
    await pasteOnFirstRun(code);
    expect(camera.opened, 'a pasted link needs no camera').to.deep.equal([]);

    const question = await screen('link-question');
    const text = textOf(question);
    expect(text).to.include('Link this phone to alice@example.com at Demo Bank?');
    // What the linking page's browser says of itself, the network and the place, as for a login.
    expect(text).to.include('Browser of the linking page (as it calls itself)');
    expect(text).to.include('Firefox 128 on Windows 10');
    expect(
      asRead(detail(question, 'Place (a guess from its internet address)').textContent),
    ).to.equal('Amsterdam, NL · KPN IP geolocation by DB-IP (db-ip.com)');
    const network = detail(question, 'Network');
    expect(network.textContent).to.include('Not known');
    expect(network.classList.contains('warn'), 'an unknown network is a warning').to.equal(true);
    expect(text).to.include('If someone sent you this code or asked you to scan it, cancel');
    expectSameSize(buttonIn(question, 'Cancel'), buttonIn(question, 'Link'));
    expect(
      mock.calls.map((call) => call.endpoint),
      'nothing linked yet',
    ).to.deep.equal(['previewEnrollment']);
    expect(await storage.listProfiles()).to.deep.equal([]);
    await expectAxeClean(app as ScannerApp);

    buttonIn(question, 'Link').click();
    const compare = await screen('compare-code');
    const compareCode = mock.enrollmentState(code)?.compareCode ?? '';
    expect(compareCode).to.match(/^\d{6}$/);
    expect(textOf(compare)).to.include(`${compareCode.slice(0, 3)} ${compareCode.slice(3)}`);
    expect(textOf(compare)).to.include(
      'Check that the linking page shows the same code, and confirm there. If it shows another code or none, say so there: this phone will not be linked.',
    );
    expect(mock.calls.map((call) => call.endpoint)).to.deep.equal(['previewEnrollment', 'enroll']);
    await expectAxeClean(app as ScannerApp);

    buttonIn(compare, 'Done').click();
    const home = await screen('home');
    expect(textOf(home)).to.include('alice@example.com at Demo Bank');
    expect(textOf(home)).to.include(
      'Confirm on the linking page of Demo Bank that it shows the same code.',
    );
    expect(mock.enrollmentState(code)?.status, 'the website now asks its user').to.equal('confirm');
  });

  it('runs a link pasted into "Paste a link" at once, as a scan does', async () => {
    const code = mock.enrollmentCode();
    await mount();
    buttonIn(await screen('first-run'), 'Paste a link').click();
    const scanner = await screen('scanner');
    expect(textOf(scanner)).to.include('Paste a link');
    expect(textOf(scanner)).to.include('A website’s QR code holds a link.');
    const input = scanner.shadowRoot?.querySelector<HTMLInputElement>('#code');
    if (input === null || input === undefined) throw new Error('no link field');
    await expectAxeClean(app as ScannerApp);
    pasteText(input, ` ${code}\n`);
    expect(textOf(await screen('link-question'))).to.include(
      'Link this phone to alice@example.com at Demo Bank?',
    );
    expect(camera.opened, 'no camera').to.deep.equal([]);
  });

  it('writes the times of a login and of a link in the phone’s own style (en-GB: day, month, year)', async () => {
    setLocale('en-GB');
    expect(document.documentElement.lang).to.equal('en-GB');
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const confirmation = await screen('confirm');
    const time = detail(confirmation, 'Time').querySelector('time');
    const at = new Date(time?.getAttribute('datetime') ?? '');
    const medium = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    expect(time?.textContent).to.equal(medium.format(at));
    expect(time?.textContent).to.match(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}$/);
    buttonIn(confirmation, 'Yes, log in').click();
    buttonIn(await screen('result'), 'Done').click();
    const [profile] = await storage.listProfiles();
    expect(textOf(await screen('home'))).to.include(
      `Linked on ${medium.format(new Date(profile?.enrolledAt ?? 0))}`,
    );
  });

  it('links nothing when the user cancels the question', async () => {
    const code = mock.enrollmentCode();
    await mount();
    await pasteOnFirstRun(code);
    buttonIn(await screen('link-question'), 'Cancel').click();
    await screen('first-run');
    expect(mock.calls.map((call) => call.endpoint)).to.deep.equal(['previewEnrollment']);
    expect(mock.enrollmentState(code)?.status).to.equal('pending');
    expect(await storage.listProfiles()).to.deep.equal([]);
  });

  it('asks before linking from a deep link too', async () => {
    deepLink(mock.enrollmentCode());
    await mount();
    const question = await screen('link-question');
    expect(location.hash, 'the code leaves the address bar').to.equal('');
    expect(textOf(question)).to.include('Link this phone to alice@example.com at Demo Bank?');
    expect(mock.calls.map((call) => call.endpoint)).to.deep.equal(['previewEnrollment']);
  });

  it('asks in Dutch on a Dutch phone', async () => {
    setLocale('nl');
    await useMock({ place: AMSTERDAM_KPN });
    deepLink(mock.enrollmentCode());
    await mount();
    const question = await screen('link-question');
    expect(textOf(question)).to.include(
      'Deze telefoon koppelen aan alice@example.com bij Demo Bank?',
    );
    expect(textOf(question)).to.include('Heeft iemand je deze code gestuurd');
    buttonIn(question, 'Koppelen').click();
    expect(textOf(await screen('compare-code'))).to.include(
      'Controleer dat de koppelpagina dezelfde code toont',
    );
  });

  for (const when of ['before the question', 'while the user read the question'] as const) {
    it(`says that another phone used the link code (${when}), and what to do`, async () => {
      const code = mock.enrollmentCode();
      if (when === 'before the question') await anotherPhoneLinks(code);
      deepLink(code);
      await mount();
      if (when === 'while the user read the question') {
        const question = await screen('link-question');
        await anotherPhoneLinks(code);
        buttonIn(question, 'Link').click();
      }
      const result = await screen('result');
      expect(textOf(result)).to.include('Another phone used this code');
      expect(markOf(result)).to.equal('cross');
      expect(textOf(result)).to.include(
        'On the linking page, say that the codes do not match (No), so that the other phone is not linked. Then link again with a new code.',
      );
      expect(await storage.listProfiles(), 'this phone is not linked').to.deep.equal([]);
      await expectAxeClean(app as ScannerApp);
    });
  }

  it('goes from a deep link straight to the confirmation, and accepting logs in', async () => {
    await linkBeforehand();
    const login = mock.startLogin();
    deepLink(login.code);
    await mount();
    const confirmation = await screen('confirm');
    expect(location.hash, 'the code leaves the address bar').to.equal('');
    const text = textOf(confirmation);
    expect(text).to.include('Log in to Demo Bank?');
    expect(text).to.include('Firefox 128 on Windows 10');
    expect(text).to.include('The same network as this phone');
    // The site is said in the title and its own row; the account's row says the account alone.
    expect(asRead(detail(confirmation, 'Website').textContent)).to.equal('Demo Bank');
    expect(asRead(detail(confirmation, 'Account').textContent)).to.equal('alice@example.com');
    expect(text).not.to.include('alice@example.com at Demo Bank');
    // What a relayed login leans on is said plainly: the browser names itself, and a code that
    // someone sent is theirs.
    expect(text).to.include('Browser (as it calls itself)');
    expect(text).to.include('If someone sent you this code or asked you to scan it, deny');
    await expectAxeClean(app as ScannerApp);
    buttonIn(confirmation, 'Yes, log in').click();
    const result = await screen('result');
    expect(textOf(result)).to.include('You are logged in');
    expect(textOf(result)).to.include('Go back to Demo Bank');
    expect(markOf(result)).to.equal('tick');
    expect(mock.loginState(login.transactionId)).to.equal('accepted');
    await expectAxeClean(app as ScannerApp);
  });

  it('warns when the network of the login is not known, as when it is another', async () => {
    await useMock({ sameNetwork: null });
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const confirmation = await screen('confirm');
    expect(textOf(confirmation)).to.include('Not known: it may be another network than this phone');
    const network = Array.from(confirmation.shadowRoot?.querySelectorAll('dd') ?? []).find((dd) =>
      dd.textContent.includes('Not known'),
    );
    expect(network?.classList.contains('warn'), 'shown as a warning').to.equal(true);
  });

  it('shows the place and operator of the browser that logs in', async () => {
    await useMock({ place: AMSTERDAM_KPN });
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const place = detail(await screen('confirm'), 'Place (a guess from its internet address)');
    expect(asRead(place.textContent)).to.equal(
      'Amsterdam, NL · KPN IP geolocation by DB-IP (db-ip.com)',
    );
    expect(place.classList.contains('warn'), 'near is no warning').to.equal(false);
  });

  it('warns when the browser that logs in is far from this phone', async () => {
    await useMock({
      place: {
        city: 'Lagos',
        country: 'NG',
        operator: 'MTN Nigeria',
        distance_km: 4_870,
        credit: 'IP geolocation by DB-IP (db-ip.com)',
      },
    });
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const place = detail(await screen('confirm'), 'Place (a guess from its internet address)');
    expect(asRead(place.textContent)).to.equal(
      'Lagos, NG · MTN Nigeria — far from this phone (about 4870 km) IP geolocation by DB-IP (db-ip.com)',
    );
    expect(place.classList.contains('warn'), 'shown as a warning').to.equal(true);
  });

  it('with proof of presence, shows after Accept the code to type in the browser', async () => {
    await useMock({ proofOfPresence: 'always' });
    await linkBeforehand();
    const login = mock.startLogin();
    deepLink(login.code);
    await mount();
    const confirmation = await screen('confirm');
    expect(textOf(confirmation)).to.include(
      'After you tap “Yes, log in”, this phone shows a code: type it in the browser that is logging in.',
    );
    buttonIn(confirmation, 'Yes, log in').click();
    const presence = await screen('presence');
    const text = textOf(presence);
    expect(text).to.include(
      "Type this code in the browser that is logging in, on Demo Bank's own website only: if a page you were sent to asks for it, stop. Never read it out or send it to anyone: nobody from Demo Bank will ask you for it.",
    );
    expect(text, 'not logged in yet').not.to.include('You are logged in');
    const shown = asRead(presence.shadowRoot?.querySelector('.code')?.textContent ?? '').trim();
    expect(shown).to.match(/^\d{3} \d{3}$/);
    expect(mock.loginState(login.transactionId)).to.equal('confirm');
    await expectAxeClean(app as ScannerApp);
    // The code on screen is the one the browser must type: the website logs it in with it.
    expect(mock.provePresence(login.transactionId, shown.replace(' ', ''))).to.equal('accepted');
    buttonIn(presence, 'Done').click();
    await screen('home');
  });

  it('says nothing of a code to type when the login needs none', async () => {
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const confirmation = await screen('confirm');
    expect(textOf(confirmation)).not.to.include('this phone shows a code');
    buttonIn(confirmation, 'Yes, log in').click();
    expect(textOf(await screen('result'))).to.include('You are logged in');
  });

  it('tells a phone whose link the website has not confirmed to confirm it there first', async () => {
    await linkBeforehand({ confirmed: false });
    deepLink(mock.startLogin().code);
    await mount();
    const result = await screen('result');
    expect(textOf(result)).to.include('Confirm the link on the website first');
    expect(textOf(result)).to.include('The account stays on this phone.');
    expect(await storage.listProfiles()).to.have.length(1);
    await expectAxeClean(app as ScannerApp);
  });

  it('tells a phone whose link the website refused that it is no longer linked', async () => {
    await onegini.startApplication(new QuietListener(), {
      tokenServerUrl: mock.tokenServerUrl,
      storage,
    });
    const code = mock.enrollmentCode();
    await onegini.userClient.enrollMobileAuthentication(code);
    // The user said on the website that the codes differ: the phone is revoked.
    expect(mock.confirmLink(code, false)).to.equal(true);
    deepLink(mock.startLogin().code);
    await mount();
    const result = await screen('result');
    expect(textOf(result)).to.include('This phone is no longer linked');
    await expectAxeClean(app as ScannerApp);
  });

  it('shows the name the website gave the account, not its user id, on home and on a login', async () => {
    await useMock({ userId: 'u-7f3a9c21', displayName: 'Alice Example' });
    await linkBeforehand();
    const login = mock.startLogin();
    deepLink(login.code);
    await mount();
    const confirmation = await screen('confirm');
    expect(asRead(detail(confirmation, 'Account').textContent)).to.equal('Alice Example');
    expect(textOf(confirmation)).not.to.include('u-7f3a9c21');
    buttonIn(await screen('confirm'), 'Yes, log in').click();
    buttonIn(await screen('result'), 'Done').click();
    const home = textOf(await screen('home'));
    expect(home).to.include('Alice Example at Demo Bank');
    expect(home).not.to.include('u-7f3a9c21');
  });

  it('tells two accounts with one name apart by their user ids', async () => {
    await useMock({ userId: 'u-1111', displayName: 'Alice' });
    await linkBeforehand();
    await useMock({ userId: 'u-2222', displayName: 'Alice' });
    await onegini.userClient.enrollMobileAuthentication(mock.enrollmentCode());
    await mount();
    const home = textOf(await screen('home'));
    expect(home).to.include('Alice (u-1111) at Demo Bank');
    expect(home).to.include('Alice (u-2222) at Demo Bank');
  });

  it('denies a login with a button as large as accept, and says what to do next', async () => {
    await linkBeforehand();
    const login = mock.startLogin();
    deepLink(login.code);
    await mount();
    const confirmation = await screen('confirm');
    const deny = buttonIn(confirmation, 'No, deny');
    expectSameSize(deny, buttonIn(confirmation, 'Yes, log in'));
    deny.click();
    const result = await screen('result');
    expect(textOf(result)).to.include('Login denied');
    expect(markOf(result)).to.equal('cross');
    // The mobile API does not say whether a login is a second factor: the advice is the
    // passwordless one, which is true of both (nobody got in), and no password is blamed.
    expect(textOf(result)).to.include(
      'Nobody was logged in. If you did not try to log in, nothing happened: your account is safe.',
    );
    expect(textOf(result)).not.to.include('password');
    expect(mock.loginState(login.transactionId)).to.equal('denied');
    await expectAxeClean(app as ScannerApp);
  });

  it('asks for the number the website shows before accepting (number matching)', async () => {
    await useMock({ scenario: 'number-matching', numberMatchCode: '42' });
    await linkBeforehand();
    const login = mock.startLogin();
    deepLink(login.code);
    await mount();
    const confirmation = await screen('confirm');
    expect(textOf(confirmation)).to.include('Which number does the website show?');
    buttonIn(confirmation, 'Yes, log in').click();
    await confirmation.updateComplete;
    expect(textOf(confirmation)).to.include('Pick the number the website shows');
    const radios = Array.from(
      confirmation.shadowRoot?.querySelectorAll<HTMLInputElement>('input[name="number"]') ?? [],
    );
    expect(radios.map((radio) => radio.value)).to.include('42');
    radios.find((radio) => radio.value === '42')?.click();
    await expectAxeClean(app as ScannerApp);
    buttonIn(confirmation, 'Yes, log in').click();
    await screen('result');
    expect(mock.loginState(login.transactionId)).to.equal('accepted');
  });

  for (const [scenario, expected] of [
    ['expired', 'The code expired'],
    ['already-handled', 'This code was used already'],
    ['network-failure', 'No connection'],
  ] as const) {
    it(`explains a ${scenario} login on the result screen, under a warning sign`, async () => {
      await linkBeforehand();
      mock.scenario = scenario;
      deepLink(mock.startLogin().code);
      await mount();
      const result = await screen('result');
      expect(textOf(result)).to.include(expected);
      expect(markOf(result)).to.equal('warning');
      await expectAxeClean(app as ScannerApp);
    });
  }

  it('says that a login needs the network when the Token Server cannot be reached', async () => {
    await linkBeforehand();
    mock.scenario = 'network-failure';
    deepLink(mock.startLogin().code);
    await mount();
    await screen('result');
    expect(textOf(app as ScannerApp)).to.include('a login needs the network');
  });

  it('shows the server message as text, never as HTML', async () => {
    await useMock({ message: '<img src=x id=injected> Log in' });
    await linkBeforehand();
    deepLink(mock.startLogin().code);
    await mount();
    const confirmation = await screen('confirm');
    expect(textOf(confirmation)).to.include('<img src=x id=injected> Log in');
    expect(confirmation.shadowRoot?.querySelector('#injected')).to.equal(null);
  });

  it('tells a phone without an account to link first when it gets a login code', async () => {
    deepLink(mock.startLogin().code);
    await mount();
    const result = await screen('result');
    expect(textOf(result)).to.include('This phone is not linked yet');
    expect(mock.calls, 'nothing was sent').to.deep.equal([]);
  });

  it('unlinks an account after asking, and falls back to the first-run screen', async () => {
    await linkBeforehand();
    await mount();
    const home = await screen('home');
    (home as unknown as HomeView).confirmUnlink = (question) =>
      asRead(question).startsWith('Unlink alice@example.com at Demo Bank?');
    buttonIn(home, 'Unlink').click();
    await screen('first-run');
    expect(await storage.listProfiles()).to.deep.equal([]);
  });

  it('opens the scanner from "Scan to log in" and leaves no live camera track on cancel', async () => {
    await linkBeforehand();
    await mount();
    buttonIn(await screen('home'), 'Scan to log in').click();
    const scanner = await screen('scanner');
    await until(() => camera.liveTracks().length === 1, 'camera live', SCANNER_WAIT_MS);
    await expectAxeClean(app as ScannerApp);
    buttonIn(scanner, 'Cancel').click();
    await screen('home');
    expect(camera.liveTracks()).to.deep.equal([]);
  });

  describe('a fingerprint or face before Accept (passkeys)', () => {
    /** Links through the app's own screens, up to the code to compare. */
    async function linkInTheApp(): Promise<ViewElement> {
      const code = mock.enrollmentCode();
      await mount();
      await pasteOnFirstRun(code);
      buttonIn(await screen('link-question'), 'Link').click();
      return screen('compare-code');
    }

    it('says in plain words, after linking, that a phone without one cannot answer logins that ask for it', async () => {
      const compare = await linkInTheApp();
      expect(textOf(compare)).to.include(
        'This phone can’t check your fingerprint or face, so websites that ask for one won’t accept logins from it. It can still log you in to websites that don’t ask.',
      );
      expect(() => buttonIn(compare, 'Set up fingerprint or face')).to.throw();
      await expectAxeClean(app as ScannerApp);
    });

    it('sets it up while linking, where the phone has one, and says so', async () => {
      passkeys.available = true;
      const compare = await linkInTheApp();
      expect(textOf(compare)).to.include(
        'Where a website asks for it, this phone will check your fingerprint or face before a login.',
      );
      expect(mock.calls.map((call) => call.endpoint)).to.deep.equal([
        'previewEnrollment',
        'enroll',
        'passkeyOptions',
        'registerPasskey',
      ]);
    });

    it('offers to try again when the user cancelled setting it up, and that works', async () => {
      passkeys.available = true;
      passkeys.userAction = 'cancel';
      const compare = await linkInTheApp();
      expect(textOf(compare)).to.include(
        'Your fingerprint or face was not set up for this account',
      );
      await expectAxeClean(app as ScannerApp);

      passkeys.userAction = 'verify';
      buttonIn(compare, 'Set up fingerprint or face').click();
      await until(
        () => textOf(compare).includes('this phone will check your fingerprint or face'),
        'the fingerprint set up',
      );
      expect(() => buttonIn(compare, 'Set up fingerprint or face')).to.throw();
      const [profile] = await storage.listProfiles();
      expect(profile?.passkey?.credentialId).to.equal(passkeys.credentialIds[0]);
    });

    it('says before Accept that the fingerprint follows; “Yes, log in” then asks for it and logs in', async () => {
      passkeys.available = true;
      await useMock({ userVerification: 'required' });
      await linkBeforehand();
      const login = mock.startLogin();
      deepLink(login.code);
      await mount();
      const confirmation = await screen('confirm');
      expect(textOf(confirmation)).to.include(
        'After you tap “Yes, log in”, you’ll be asked for your fingerprint or face.',
      );
      await expectAxeClean(app as ScannerApp);

      buttonIn(confirmation, 'Yes, log in').click();
      const result = await screen('result');
      expect(textOf(result)).to.include('You are logged in');
      expect(passkeys.prompts.map((prompt) => prompt.kind)).to.deep.equal(['register', 'verify']);
      expect(mock.loginState(login.transactionId)).to.equal('accepted');
    });

    it('back on the question when the user was not verified: try again or deny', async () => {
      passkeys.available = true;
      await useMock({ userVerification: 'required' });
      await linkBeforehand();
      const login = mock.startLogin();
      deepLink(login.code);
      await mount();
      const confirmation = await screen('confirm');
      passkeys.userAction = 'cancel';
      buttonIn(confirmation, 'Yes, log in').click();
      await until(
        () => textOf(confirmation).includes('Not verified: try again or deny.'),
        'the question, saying the user was not verified',
      );
      expect(app?.screen).to.equal('confirm');
      expect(mock.calls.map((call) => call.endpoint)).to.not.include('answer');
      expect(buttonIn(confirmation, 'Yes, log in').disabled).to.equal(false);
      await expectAxeClean(app as ScannerApp);

      buttonIn(confirmation, 'No, deny').click();
      const result = await screen('result');
      expect(textOf(result)).to.include('Login denied');
      expect(mock.loginState(login.transactionId)).to.equal('denied');
    });

    it('explains a login that requires it on a phone that cannot, and offers Deny only', async () => {
      await useMock({ userVerification: 'required' });
      await linkBeforehand();
      const login = mock.startLogin();
      deepLink(login.code);
      await mount();
      const confirmation = await screen('confirm');
      expect(textOf(confirmation)).to.include(
        'This website asks for your fingerprint or face before a login counts, and this phone can’t check them.',
      );
      expect(() => buttonIn(confirmation, 'Yes, log in')).to.throw();
      await expectAxeClean(app as ScannerApp);

      buttonIn(confirmation, 'No, deny').click();
      expect(textOf(await screen('result'))).to.include('Login denied');
      expect(mock.loginState(login.transactionId)).to.equal('denied');
    });

    it('says why nobody was logged in when the Token Server refuses the check', async () => {
      passkeys.available = true;
      await useMock({ userVerification: 'required' });
      await linkBeforehand();
      deepLink(mock.startLogin().code);
      await mount();
      passkeys.userAction = 'not-verified';
      buttonIn(await screen('confirm'), 'Yes, log in').click();
      const result = await screen('result');
      expect(textOf(result)).to.include('Not logged in: not verified');
      expect(markOf(result)).to.equal('cross');
      await expectAxeClean(app as ScannerApp);
    });
  });

  it('with two accounts, lets the user choose the one that answers logins', async () => {
    await linkBeforehand();
    await onegini.userClient.enrollMobileAuthentication(mock.enrollmentCode());
    const [first, second] = await storage.listProfiles();
    if (first === undefined || second === undefined) throw new Error('two profiles expected');
    expect(await storage.getAuthenticatedProfileId()).to.equal(first.profileId);
    await mount();
    const home = await screen('home');
    const radios = Array.from(
      home.shadowRoot?.querySelectorAll<HTMLInputElement>('input[name="active"]') ?? [],
    );
    expect(radios.map((radio) => radio.checked)).to.deep.equal([true, false]);
    // A screen reader hears which account each choice is for, with the words the screen shows.
    const names = radios.map((radio) => asRead(radio.getAttribute('aria-label') ?? ''));
    for (const [index, profile] of [first, second].entries())
      expect(names[index])
        .to.contain('Use this account for logins')
        .and.to.contain(`${profile.userId} at ${profile.siteName ?? ''}`);
    // The app stores the choice through the SDK: watch it reach the device's storage.
    const stored: (string | undefined)[] = [];
    const store = storage.setAuthenticatedProfileId.bind(storage);
    storage.setAuthenticatedProfileId = (profileId) => {
      stored.push(profileId);
      return store(profileId);
    };
    radios[1]?.click();
    await until(() => radios[1]?.checked === true, 'the second account chosen');
    await until(() => stored.length > 0, 'the choice stored');
    expect(
      await storage.getAuthenticatedProfileId(),
      'the SDK answers logins with the second account',
    ).to.equal(second.profileId);
    await expectAxeClean(app as ScannerApp);
  });

  it('lets the user choose the camera in the settings, and opens that one next time', async () => {
    camera = new CanvasCamera([
      { deviceId: 'back-id', label: 'Back camera' },
      { deviceId: 'front-id', label: 'Front camera' },
    ]);
    localStorage.removeItem('otp-login-qr.camera');
    await linkBeforehand();
    await mount();
    buttonIn(await screen('home'), 'Scan to log in').click();
    buttonIn(await screen('scanner'), 'Cancel').click();
    const home = await screen('home');
    await until(
      () => (home.shadowRoot?.querySelectorAll('#camera option').length ?? 0) === 3,
      'the cameras in the settings',
      SCANNER_WAIT_MS,
    );
    const select = home.shadowRoot?.querySelector<HTMLSelectElement>('#camera');
    if (select === null || select === undefined) throw new Error('no camera setting');
    expect(Array.from(select.options, (option) => option.textContent.trim())).to.deep.equal([
      'Back camera (default)',
      'Back camera',
      'Front camera',
    ]);
    select.value = 'front-id';
    select.dispatchEvent(new Event('change'));
    expect(localStorage.getItem('otp-login-qr.camera')).to.equal('front-id');
    buttonIn(home, 'Scan to log in').click();
    await screen('scanner');
    await until(() => camera.opened.length === 2, 'the camera opened again', SCANNER_WAIT_MS);
    expect(camera.opened).to.deep.equal([undefined, 'front-id']);
    localStorage.removeItem('otp-login-qr.camera');
  });

  it('says so when config.json cannot be read, and tries again on request', async () => {
    localStorage.removeItem('otp-login-qr.config');
    mockServer.use(http.get('/config.json', () => new HttpResponse('nope', { status: 404 })));
    await mount();
    const failed = app?.shadowRoot?.querySelector('.failed');
    expect(app?.screen).to.equal('startup-failed');
    expect(failed?.textContent).to.include('The app cannot start');
    await expectAxeClean(app as ScannerApp);
    mockServer.resetHandlers(...handlers);
    failed?.querySelector('button')?.click();
    await screen('first-run');
  });

  it('shows "A new version is ready: reload" and reloads on request', async () => {
    let reloads = 0;
    await mount();
    await screen('first-run');
    (app as ScannerApp).reload = () => {
      reloads += 1;
    };
    (app as ScannerApp).updateReady = true;
    await app?.updateComplete;
    const prompt = app?.shadowRoot?.querySelector<ViewElement>('app-update-prompt');
    if (prompt === null || prompt === undefined) throw new Error('no update prompt');
    await prompt.updateComplete;
    expect(textOf(prompt)).to.include('A new version is ready.');
    await expectAxeClean(app as ScannerApp);
    buttonIn(prompt, 'Reload').click();
    expect(reloads).to.equal(1);
  });
});
