/*
 * Timing of the element's requests, under a fake clock (@sinonjs/fake-timers) that replaces only
 * the page's timers and Date. MSW's service worker talks to the page through messages, not timers,
 * so mocked answers still arrive; the tests wait for them in real time, then move the fake clock.
 */
import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { http, HttpResponse } from 'msw';
import { otpLoginHandlers } from '../../src/mocks/index.js';
// The controller's pace is not public API: its module is imported by path.
import { BACKOFF, MIN_POLL_GAP_SECONDS, START_ATTEMPTS } from '../../src/widget/polling-tuning.js';
import { expectNoUnhandledRequests, mockServer } from '../support/mock-server.js';
import { install, type InstalledClock } from './fixtures/fake-timers.bundle.js';
import { nothingHappensFor, until } from '../support/until.js';
import {
  mount,
  restorePageVisibility,
  setPageVisibility,
  statusesOf,
  unmountAll,
  useMockServer,
  untilStatus,
  watchFetch,
  type FetchLog,
  settleAfterUnmount,
} from './widget-fixture.js';

describe('<otp-login-qr> polling', () => {
  let log: FetchLog;
  let clock: InstalledClock | undefined;

  beforeEach(async () => {
    await useMockServer();
    log = watchFetch();
  });

  afterEach(async () => {
    clock?.uninstall();
    clock = undefined;
    restorePageVisibility();
    unmountAll();
    log.restore();
    await settleAfterUnmount();
    mockServer.resetHandlers();
    expectNoUnhandledRequests();
  });

  function installClock(): InstalledClock {
    clock = install({
      now: Date.now(),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    return clock;
  }

  /**
   * Waits (in real time) until `requests` were sent and the element has taken in every answer
   * (read its body, and so acted on it: set its next timer).
   */
  function settle(requests: number): Promise<void> {
    return until(
      () => log.requests.length >= requests && log.inFlight === 0,
      `${requests} requests, each answer handled`,
    );
  }

  /** Runs the fake clock's timers one at a time up to `end`, settling each request they make. */
  async function runUntil(fake: InstalledClock, end: number): Promise<void> {
    while (fake.now < end && fake.countTimers() > 0) {
      const before = log.requests.length;
      await fake.nextAsync();
      if (log.requests.length > before) await settle(before + 1);
    }
  }

  function gapsBetweenPolls(): number[] {
    const polls = log.times.filter((_, i) => log.requests[i]?.startsWith('GET'));
    return polls.slice(1).map((time, i) => (time - (polls[i] ?? time)) / 1000);
  }

  it('waits the interval between two polls, counting the time a poll was held', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', interval: 5, expiresIn: 600 }));
    const element = mount({ endpoint: '/otp-login' });
    await settle(2);
    expect(element.status).to.equal('pending');

    await fake.tickAsync(4_900);
    expect(log.requests).to.have.length(2);
    await fake.tickAsync(200);
    await settle(3);
    expect(log.requests[2]).to.match(/^GET \/otp-login\/mock-login-1\?wait=30$/);
  });

  it('polls at most once a second when the server neither holds polls nor sets a pace', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', interval: 0, expiresIn: 600 }));
    mount({ endpoint: '/otp-login' });
    await settle(2);

    await fake.tickAsync(MIN_POLL_GAP_SECONDS * 1000 - 100);
    expect(log.requests).to.have.length(2);
    await fake.tickAsync(200);
    await settle(3);
  });

  it('adopts the interval of a slow_down answer', async () => {
    const fake = installClock();
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'slow_down', polls: 3, interval: 1, slowDownInterval: 4 }),
    );
    const element = mount({ endpoint: '/otp-login' });
    await settle(2);

    await fake.tickAsync(3_900);
    expect(log.requests, 'no poll before the new interval').to.have.length(2);
    await fake.tickAsync(200);
    await settle(3);
    await fake.tickAsync(4_000);
    await settle(4);
    await untilStatus(element, 'accepted');
    expect(gapsBetweenPolls().map(Math.round)).to.deep.equal([4, 4]);
  });

  it('adds 5 seconds for a slow_down without an interval', async () => {
    const fake = installClock();
    // The kit and the mock always send an interval; RFC 8628's device flow leaves it out.
    let polls = 0;
    mockServer.use(
      http.get('/otp-login/:id', () => {
        polls += 1;
        return polls < 3
          ? HttpResponse.json({ error: 'slow_down' }, { status: 400 })
          : HttpResponse.json({ status: 'accepted', redirect_to: '/' });
      }),
      ...otpLoginHandlers({ scenario: 'accept', interval: 1 }),
    );
    const element = mount({ endpoint: '/otp-login' });
    element.addEventListener('otp-login-qr-accepted', (event) => {
      event.preventDefault();
    });
    await settle(2);

    await runUntil(fake, fake.now + 20_000);
    await untilStatus(element, 'accepted');
    expect(gapsBetweenPolls().map(Math.round)).to.deep.equal([6, 11]);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'rate_limited', polls: 3, retryAfter: 7 }));
    const element = mount({ endpoint: '/otp-login' });
    element.addEventListener('otp-login-qr-accepted', (event) => {
      event.preventDefault();
    });
    await settle(2);

    await fake.tickAsync(6_900);
    expect(log.requests).to.have.length(2);
    await runUntil(fake, fake.now + 10_000);
    await untilStatus(element, 'accepted');
    expect(gapsBetweenPolls().map(Math.round)).to.deep.equal([7, 7]);
  });

  it('meets network errors with exponential backoff, jittered and capped', async () => {
    const fake = installClock();
    mockServer.use(
      ...otpLoginHandlers({ scenario: 'network_error', polls: 9, interval: 0, expiresIn: 600 }),
    );
    const element = mount({ endpoint: '/otp-login' });
    element.addEventListener('otp-login-qr-accepted', (event) => {
      event.preventDefault();
    });
    await settle(2);

    await runUntil(fake, fake.now + 200_000);
    await untilStatus(element, 'accepted');
    const ceilings = [1, 2, 4, 8, 16, 30, 30, 30].map((s) => Math.min(s, BACKOFF.maxSeconds));
    const gaps = gapsBetweenPolls();
    expect(gaps).to.have.length(ceilings.length);
    gaps.forEach((gap, i) => {
      const ceiling = ceilings[i] ?? 0;
      expect(gap, `wait after failure ${i + 1}`).to.be.within(ceiling / 2 - 0.01, ceiling + 0.01);
    });
    expect(log.maxInFlight).to.equal(1);
  });

  it('pauses while the page is hidden and checks at once when it is visible again', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', interval: 2, expiresIn: 600 }));
    mount({ endpoint: '/otp-login' });
    await settle(2);

    setPageVisibility('hidden');
    await runUntil(fake, fake.now + 120_000);
    expect(log.requests, 'no request while hidden').to.have.length(2);

    setPageVisibility('visible');
    await settle(3);
    expect(log.requests[2]).to.match(/^GET /);
  });

  it('aborts a held poll when the page is hidden', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    mount({ endpoint: '/otp-login' });
    await until(() => log.requests.length === 2 && log.inFlight === 1, 'a held poll');

    setPageVisibility('hidden');
    await until(() => log.inFlight === 0, 'the held poll to be aborted');
    await nothingHappensFor(200);
    expect(log.requests, 'no request while hidden').to.have.length(2);
  });

  it('stops every request and timer when removed from the page', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', interval: 1, expiresIn: 30 }));
    const element = mount({ endpoint: '/otp-login' });
    await settle(2);
    await fake.tickAsync(1_000);
    await settle(3);

    element.remove();
    expect(fake.countTimers(), 'timers left after disconnect').to.equal(0);
    await fake.tickAsync(120_000);
    await nothingHappensFor(100);
    expect(log.requests).to.have.length(3);
    expect(element.status).to.equal('idle');
  });

  it('aborts the request in flight when removed from the page', async () => {
    mockServer.use(...otpLoginHandlers({ scenario: 'pending', holdPending: true }));
    const element = mount({ endpoint: '/otp-login' });
    await until(() => log.requests.length === 2 && log.inFlight === 1, 'a held poll');

    element.remove();
    await until(() => log.inFlight === 0, 'the held poll to be aborted');
    await nothingHappensFor(200);
    expect(log.requests, 'no request once removed').to.have.length(2);
  });

  it('ignores an answer to a login that restart() replaced', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let starts = 0;
    let firstAnswered = false;
    const statusRequests: string[] = [];
    mockServer.use(
      http.post('/otp-login', async () => {
        starts += 1;
        const id = `login-${starts}`;
        if (starts === 1) {
          await firstHeld;
          firstAnswered = true;
        }
        return HttpResponse.json(
          { id, qr: `https://app.example/#${id}`, expires_in: 60, interval: 5 },
          { status: 201 },
        );
      }),
      http.get('/otp-login/:id', ({ params }) => {
        statusRequests.push(String(params['id']));
        return HttpResponse.json({ status: params['id'] === 'login-1' ? 'denied' : 'pending' });
      }),
    );
    const element = mount({ endpoint: '/otp-login' });
    await until(() => starts === 1, 'the first start');

    element.restart();
    await untilStatus(element, 'pending');
    releaseFirst();
    // The old answer is sent; had the element still waited for it, it would be in flight until
    // the element had taken it in (and sent a poll for login-1, in flight in turn).
    await until(
      () => firstAnswered && log.inFlight === 0,
      'the old answer sent, nothing in flight',
    );

    expect(element.status).to.equal('pending');
    expect(statusesOf(element), 'the old answer ignored').not.to.include('denied');
    expect(statusRequests).to.deep.equal(['login-2']);
  });

  it('ignores a poll answer that arrives after restart()', async () => {
    let releasePoll: () => void = () => undefined;
    const pollHeld = new Promise<void>((resolve) => {
      releasePoll = resolve;
    });
    let pollAnswered = false;
    mockServer.use(
      // First, so that it answers before the mock's handlers.
      http.get('/otp-login/mock-login-1', async () => {
        await pollHeld;
        pollAnswered = true;
        return HttpResponse.json({ status: 'denied' });
      }),
      ...otpLoginHandlers({ scenario: 'pending', interval: 5 }),
    );
    const element = mount({ endpoint: '/otp-login' });
    await until(() => log.requests.length === 2 && log.inFlight === 1, 'the first poll, held');

    element.restart();
    await until(() => log.requests.length === 4, 'the second login and its poll');
    releasePoll();
    // Had the element still waited for the old poll, it would be in flight until taken in.
    await until(() => pollAnswered && log.inFlight === 0, 'the old answer sent, nothing in flight');

    expect(element.status).to.equal('pending');
    expect(statusesOf(element), 'the old answer ignored').not.to.include('denied');
    expect(log.maxInFlight).to.equal(1);
  });

  it('gives up starting after a few network failures, with backoff between them', async () => {
    const fake = installClock();
    mockServer.use(...otpLoginHandlers({ scenario: 'offline' }));
    const element = mount({ endpoint: '/otp-login' });
    const failure = new Promise<string>((resolve) => {
      element.addEventListener('otp-login-qr-error', (event) => {
        resolve(event.detail.error.code);
      });
    });
    await settle(1);

    await runUntil(fake, fake.now + 60_000);
    expect(await failure).to.equal('network');
    expect(log.requests).to.deep.equal(Array(START_ATTEMPTS).fill('POST /otp-login'));
    expect(fake.countTimers(), 'no timer left in the error state').to.equal(0);
  });
});
