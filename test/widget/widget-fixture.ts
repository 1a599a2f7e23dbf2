/*
 * Fixtures for <otp-login-qr> tests: mount an element, wait for a status, read what a user sees,
 * and watch the element's fetches from the page's side (so that an aborted request counts as
 * ended the moment it is aborted). Every fetch of the page is followed until MSW's worker has it,
 * so that a test can end once its requests are with the mock, without waiting a while for them.
 */
import type { OtpLoginQr, OtpLoginQrStatus } from '../../src/widget/index.js';
import '../../src/widget/define.js';
import { expectNoUnhandledRequests, mockServer, startMockServer } from '../support/mock-server.js';
import { until } from '../support/until.js';

// For the tests outside test/widget that import it from here (test/mocks).

let mockServerStarted: Promise<void> | undefined;

/** Starts MSW's worker once for the test file; call it in beforeEach. */
export function useMockServer(): Promise<void> {
  mockServerStarted ??= startMockServer();
  return mockServerStarted;
}

// Real timers, taken before any test installs a fake clock, for waiting in real time.
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);

/** A request the page sent that the mock worker has not received yet. */
interface OnItsWay {
  /** `METHOD url`, as the page sent it and as MSW receives it. */
  readonly key: string;
  /** Aborts the browser's request: called once MSW has it, if the page aborted it before. */
  abortWhenReceived?: () => void;
}

/** The page's requests not yet received by the mock worker, oldest first. */
const onTheirWay: OnItsWay[] = [];

function requestKey(method: string, url: string): string {
  const parsed = new URL(url, location.href);
  parsed.hash = '';
  return `${method.toUpperCase()} ${parsed.href}`;
}

function received(request: OnItsWay): void {
  const index = onTheirWay.indexOf(request);
  if (index !== -1) onTheirWay.splice(index, 1);
}

mockServer.events.on('request:start', ({ request }) => {
  const key = requestKey(request.method, request.url);
  const arrived = onTheirWay.find((candidate) => candidate.key === key);
  if (arrived === undefined) return;
  received(arrived);
  arrived.abortWhenReceived?.();
});

/*
 * Every fetch of the page, watched until the mock worker has it. A browser may drop a request the
 * page aborted before its service worker saw it, or hand it over late (Firefox, under load, long
 * after the abort): the mock worker would then meet it after the test's handlers are reset, as an
 * unhandled request, or in the next test. So the browser's request is aborted only once MSW has
 * it; the page's fetch still rejects the moment its signal aborts, as it would without the mock.
 */
const pageFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const isRequest = input instanceof Request;
  const signal = init?.signal ?? (isRequest ? input.signal : undefined);
  // Aborted already: the browser sends nothing, and rejects.
  if (signal?.aborted) return pageFetch(input, init);
  const request: OnItsWay = {
    key: requestKey(
      init?.method ?? (isRequest ? input.method : 'GET'),
      isRequest ? input.url : String(input),
    ),
  };
  onTheirWay.push(request);
  const browserRequest = new AbortController();
  const answer = pageFetch(input, { ...init, signal: browserRequest.signal }).finally(() => {
    // Answered or failed: whatever became of it, nothing of it can reach the worker later.
    received(request);
  });
  if (!signal) return answer;
  return new Promise<Response>((resolve, reject) => {
    const abort = () => {
      reject(signal.reason as Error);
      if (onTheirWay.includes(request)) {
        request.abortWhenReceived = () => {
          browserRequest.abort(signal.reason);
        };
      } else {
        browserRequest.abort(signal.reason);
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    answer.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
};

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
  /**
   * Fetches whose answer the page has not taken in yet: not answered, or answered with a body it
   * has neither read to the end nor let go of. A fetch that fails or is aborted ends at once. At 0,
   * the element has handled every answer (it reads a body, then acts on it at once).
   */
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
    // A request ends when its answer is taken in, when it fails or, for the page, the moment it
    // is aborted.
    let ended = false;
    const end = () => {
      if (!ended) inFlight -= 1;
      ended = true;
    };
    init?.signal?.addEventListener('abort', end);
    try {
      return untilTakenIn(await original(input, init), end);
    } catch (error) {
      end();
      throw error;
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
 * The same answer, whose body calls `taken` once the page has read it to the end, cancelled it or
 * failed reading it. The body is passed on only as the page reads it, so "read to the end" is the
 * page's last read, not the arrival of the last byte.
 */
function untilTakenIn(response: Response, taken: () => void): Response {
  const source = response.body?.getReader();
  if (source === undefined) {
    taken();
    return response;
  }
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await source.read();
          if (chunk.done) {
            controller.close();
            taken();
          } else {
            controller.enqueue(chunk.value);
          }
        } catch (error) {
          controller.error(error);
          taken();
        }
      },
      cancel(reason) {
        taken();
        return source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * After `unmountAll()`: waits until the mock worker has received every request the page sent (the
 * requests of the elements just removed among them), so that none meets the next test's handlers,
 * or none at all.
 */
export function settleAfterUnmount(): Promise<void> {
  const sent = onTheirWay.map((request) => request.key).join(', ');
  return until(() => onTheirWay.length === 0, `the mock worker to receive ${sent}`);
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

/** Makes the page look hidden or visible to the element, as when the user switches tabs. */
export function setPageVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Undoes {@link setPageVisibility}. */
export function restorePageVisibility(): void {
  Reflect.deleteProperty(document, 'visibilityState');
}
