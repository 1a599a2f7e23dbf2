/*
 * Fixtures for <otp-login-qr> tests: mount an element, wait for a status, read what a user sees,
 * and watch the element's fetches from the page's side (so that an aborted request counts as
 * ended the moment it is aborted).
 */
import type { OtpLoginQr, OtpLoginQrStatus } from '../../src/widget/index.js';
import '../../src/widget/define.js';
import { expectNoUnhandledRequests, mockServer, startMockServer } from '../support/mock-server.js';

let mockServerStarted: Promise<void> | undefined;

/** Starts MSW's worker once for the test file; call it in beforeEach. */
export function useMockServer(): Promise<void> {
  mockServerStarted ??= startMockServer();
  return mockServerStarted;
}

// Real timers, taken before any test installs a fake clock, for waiting in real time.
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);

const mounted: HTMLElement[] = [];

/** Appends `<otp-login-qr>` with these attributes (in a wrapper, for `lang` tests). */
export function mount(attributes: Record<string, string> = {}, wrapperLang?: string): OtpLoginQr {
  const wrapper = document.createElement('div');
  if (wrapperLang !== undefined) wrapper.lang = wrapperLang;
  const element = document.createElement('otp-login-qr');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const statuses: OtpLoginQrStatus[] = [];
  element.addEventListener('otp-login-qr-status', (event) => {
    statuses.push(event.detail.status);
  });
  statusLog.set(element, statuses);
  // Going to redirect_to would take the test page away; navigation is tested in an iframe.
  element.addEventListener('otp-login-qr-accepted', (event) => {
    event.preventDefault();
  });
  wrapper.append(element);
  document.body.append(wrapper);
  mounted.push(wrapper);
  return element;
}

/** Removes every mounted element; call it in afterEach. */
export function unmountAll(): void {
  for (const wrapper of mounted.splice(0)) wrapper.remove();
}

/** Resolves when `element` reaches `status` (at once if it is there), or rejects after `ms`. */
export function untilStatus(
  element: OtpLoginQr,
  status: OtpLoginQrStatus,
  ms = 10_000,
): Promise<void> {
  if (element.status === status) return element.updateComplete.then(() => undefined);
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => {
      element.removeEventListener('otp-login-qr-status', listener);
      reject(new Error(`status stayed ${element.status}, expected ${status}`));
    }, ms);
    const listener = (event: CustomEvent<{ status: OtpLoginQrStatus }>) => {
      if (event.detail.status !== status) return;
      realClearTimeout(timer);
      element.removeEventListener('otp-login-qr-status', listener);
      void element.updateComplete.then(() => {
        resolve();
      });
    };
    element.addEventListener('otp-login-qr-status', listener);
  });
}

const statusLog = new WeakMap<OtpLoginQr, OtpLoginQrStatus[]>();

/** The statuses a mounted element went through since it was connected. */
export function statusesOf(element: OtpLoginQr): OtpLoginQrStatus[] {
  return statusLog.get(element) ?? [];
}

export function part(element: OtpLoginQr, name: string): Element | null {
  return element.shadowRoot?.querySelector(`[part~='${name}']`) ?? null;
}

export function text(element: OtpLoginQr, name: string): string {
  return part(element, name)?.textContent.replace(/\s+/g, ' ').trim() ?? '';
}

export interface FetchLog {
  /** `METHOD path?query` of every fetch, in order. */
  readonly requests: string[];
  /** `Date.now()` (a fake clock's, when one is installed) of every fetch, in order. */
  readonly times: number[];
  /** The most fetches that were unsettled at the same time. */
  readonly maxInFlight: number;
  /** Fetches not yet settled (answered, failed or aborted). */
  readonly inFlight: number;
  restore(): void;
}

/** Wraps `window.fetch` to log the element's requests; `restore()` in afterEach. */
export function watchFetch(): FetchLog {
  const original = window.fetch.bind(window);
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: string[] = [];
  const times: number[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    times.push(Date.now());
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // A request ends when it settles or, for the page, the moment it is aborted.
    let ended = false;
    const end = () => {
      if (!ended) inFlight -= 1;
      ended = true;
    };
    init?.signal?.addEventListener('abort', end);
    try {
      return await original(input, init);
    } finally {
      end();
    }
  };
  return {
    requests,
    times,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    restore() {
      window.fetch = original;
    },
  };
}

/**
 * After `unmountAll()`: time for requests the elements sent before they were removed to reach the
 * mock worker and its handlers. Firefox hands an aborted request to the service worker late on a
 * busy machine (seen at 50 ms under a full test run), and a handler reset before it arrives would
 * count it as unhandled.
 */
export function settleAfterUnmount(): Promise<void> {
  return sleep(400);
}

/**
 * The usual afterEach: remove the elements, let their last requests reach the mock worker, reset
 * its handlers, and fail the test if any request went unanswered.
 */
export async function tearDownWidgets(): Promise<void> {
  unmountAll();
  await settleAfterUnmount();
  mockServer.resetHandlers();
  expectNoUnhandledRequests();
}

/** Resolves after `ms` of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Resolves when `check` holds, polling every 10 ms of real time; rejects after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Makes the page look hidden or visible to the element, as when the user switches tabs. */
export function setPageVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Undoes {@link setPageVisibility}. */
export function restorePageVisibility(): void {
  Reflect.deleteProperty(document, 'visibilityState');
}
