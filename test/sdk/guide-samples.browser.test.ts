/*
 * The guide's samples (guide-samples.ts, shown in docs/sdk.md) run as written, on
 * Onegini.instance, against the mocked Token Server: scan → confirmation screen → accept (success
 * printed) or deny (failure printed) → screen closed.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { MemoryDeviceStorage, Onegini } from '../../src/sdk/index.js';
import { MobileApiMock, type MobileApiMockOptions } from '../../src/mocks/index.js';
import { expectNoUnhandledRequests, mockServer, startMockServer } from '../support/mock-server.js';
import {
  AppEventListener,
  handleScannedCode,
  onAcceptTapped,
  onDenyTapped,
  screens,
} from './guide-samples.js';
import { until } from '../support/until.js';

let workerStarted = false;

async function startApp(options: MobileApiMockOptions = {}): Promise<MobileApiMock> {
  const mock = new MobileApiMock({ message: 'Log in to Demo Bank', ...options });
  if (workerStarted) mockServer.resetHandlers(...mock.handlers);
  else await startMockServer(...mock.handlers);
  workerStarted = true;
  await Onegini.instance.startApplication(new AppEventListener(), {
    tokenServerUrl: mock.tokenServerUrl,
    storage: new MemoryDeviceStorage(),
  });
  const linkCode = mock.enrollmentCode();
  await Onegini.instance.userClient.enrollMobileAuthentication(linkCode);
  // The website's user confirms that the linking page shows the phone's code.
  mock.confirmLink(linkCode);
  screens.shown = [];
  screens.closed = 0;
  return mock;
}

/** Runs `action` with console.log captured. */
async function printed(action: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => {
    lines.push(parts.map(String).join(' '));
  };
  try {
    await action();
  } finally {
    console.log = log;
  }
  return lines;
}

describe("the guide's samples, as docs/sdk.md shows them", () => {
  afterEach(() => {
    expectNoUnhandledRequests();
  });

  it('accept: the screen opens with the message, the login succeeds, the screen closes', async () => {
    const mock = await startApp();
    const login = mock.startLogin();
    const lines = await printed(async () => {
      const handled = handleScannedCode(login.qr);
      await until(() => screens.shown.length === 1, 'the accept/deny screen');
      expect(screens.shown).to.deep.equal(['Log in to Demo Bank']);
      expect(screens.closed).to.equal(0);
      await onAcceptTapped('confirmation screen');
      await handled;
    });
    expect(lines).to.deep.equal(['OTP Mobile authentication request success!']);
    expect(screens.closed).to.equal(1);
    expect(screens.context).to.equal('confirmation screen');
    expect(mock.loginState(login.transactionId)).to.equal('accepted');
  });

  it('deny: the failure is printed with its message, the screen closes', async () => {
    const mock = await startApp();
    const login = mock.startLogin();
    const lines = await printed(async () => {
      const handled = handleScannedCode(login.qr);
      await until(() => screens.shown.length === 1, 'the accept/deny screen');
      await onDenyTapped();
      await handled;
    });
    expect(lines).to.deep.equal([
      'OTP Mobile authentication request failed: The user denied the request.',
    ]);
    expect(screens.closed).to.equal(1);
    expect(mock.loginState(login.transactionId)).to.equal('denied');
  });

  it('a login that asks for proof of presence still ends in success (the guide shows no code)', async () => {
    const mock = await startApp({ proofOfPresence: 'always' });
    const login = mock.startLogin();
    const lines = await printed(async () => {
      const handled = handleScannedCode(login.qr);
      await until(() => screens.shown.length === 1, 'the accept/deny screen');
      await onAcceptTapped('confirmation screen');
      await handled;
    });
    expect(lines).to.deep.equal(['OTP Mobile authentication request success!']);
    expect(screens.closed).to.equal(1);
    // The website still waits for the code that an app of the guide's never showed.
    expect(mock.loginState(login.transactionId)).to.equal('confirm');
  });
});
