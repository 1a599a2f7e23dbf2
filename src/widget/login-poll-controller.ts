import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  isSlowDown,
  MAX_STATUS_WAIT_SECONDS,
  parseLoginStatusResponse,
  parseStartLoginResponse,
  WebsiteContractError,
  type LoginStatusResponse,
  type StartLoginResponse,
} from '../protocol/website-contract.js';
import { OtpLoginQrError } from './otp-login-qr-error.js';
import { readJson } from './read-json.js';

/**
 * Where the element stands: `idle` before it starts or after `stop()`, `loading` while it asks for
 * a first code, then the login's own statuses, or `error` when the website breaks the contract.
 */
export type OtpLoginQrStatus =
  'idle' | 'loading' | 'pending' | 'scanned' | 'accepted' | 'denied' | 'expired' | 'error';

/** What the controller needs from its element. */
export interface LoginPollOptions {
  /** The website's login endpoint, e.g. `/otp-login`. */
  endpoint(): string;
  /** Seconds the website may hold one status request (long-poll). */
  pollWait(): number;
  /** How many times an unused QR is replaced by a new one before the user must ask. */
  maxRotations(): number;
  /** Turns the `qr` text into whatever the element draws; throws when it cannot. */
  encode(text: string): void;
  /** Whether the page may go to a `redirect_to` from the website. */
  isSafeRedirect(url: string): boolean;
  /** Called after every change of status, with the status before it. */
  statusChanged(status: OtpLoginQrStatus, previous: OtpLoginQrStatus): void;
}

/** Seconds before a QR's end at which the controller asks for the next one. */
export function rotationLead(expiresIn: number): number {
  return Math.min(3, expiresIn / 4);
}

/** Network errors while polling: wait 1 s, 2 s, 4 s … up to 30 s, each time a random 50–100 %. */
export const BACKOFF = { baseSeconds: 1, maxSeconds: 30 } as const;

/** Attempts at starting a login before the element gives up with `network`. */
export const START_ATTEMPTS = 4;

/** RFC 8628: a `slow_down` without a new interval adds 5 seconds. */
const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * The least time between two polls that the server answered at once, whatever `interval` says:
 * a server that neither holds polls nor asks for a pace still gets at most one a second.
 */
export const MIN_POLL_GAP_SECONDS = 1;

/** The longest `Retry-After` the element waits; a longer one is treated as this. */
const MAX_RETRY_AFTER_SECONDS = 600;

/** A timeout or a server error: worth asking again (after a wait). */
function isRetryable(status: number): boolean {
  return status === 408 || status >= 500;
}

/**
 * Starts a login on the website, polls it with long-poll, replaces the QR before it runs out and
 * reports every change of status — the way `@lit/task` is built: work starts in `hostConnected`
 * and stops in `hostDisconnected`, every request has its own `AbortSignal`, and an answer to a
 * request that is no longer the current one is ignored. At most one request is in flight, at most
 * one timer is waiting, and nothing runs while the page is hidden.
 */
export class LoginPollController implements ReactiveController {
  /** Where the login stands. */
  status: OtpLoginQrStatus = 'idle';
  /** The current login, while there is one. */
  login: StartLoginResponse | undefined;
  /** `Date.now()` at which the current QR stops working. */
  expiresAt = 0;
  /** QRs replaced so far in this run. */
  rotations = 0;
  /** Where the website wants the page to go after `accepted`. */
  redirectTo: string | undefined;
  /** Why the status is `error`. */
  error: OtpLoginQrError | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: LoginPollOptions;
  /** The endpoint when the host last synced or started; a change starts a new login. */
  #syncedEndpoint: string | undefined;
  #request: AbortController | undefined;
  #requestIsPoll = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #rotationTimer: ReturnType<typeof setTimeout> | undefined;
  #intervalSeconds = 0;
  #failures = 0;
  #connected = false;
  readonly #handleVisibilityChange = () => {
    if (document.visibilityState === 'hidden') this.#pause();
    else this.#resume();
  };

  constructor(host: ReactiveControllerHost, options: LoginPollOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#handleVisibilityChange);
    // The login starts in the host's next update (which calls sync()), not inside
    // connectedCallback: frameworks such as React attach listeners after they insert the element.
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#handleVisibilityChange);
    this.#cancel();
    // Back in the page, an interrupted login starts again; a finished one stays as it ended.
    if (this.#isActive()) {
      this.#syncedEndpoint = undefined;
      this.#setStatus('idle');
    }
  }

  /**
   * Starts a login when connected and the endpoint has changed since the last start; the host
   * calls it on every update.
   */
  sync(): void {
    if (!this.#connected) return;
    const endpoint = this.#options.endpoint();
    if (endpoint === this.#syncedEndpoint) return;
    this.#syncedEndpoint = endpoint;
    if (endpoint !== '') this.start();
    else this.stop();
  }

  /** Forgets the current login and starts a new one, with a fresh rotation budget. */
  start(): void {
    this.#cancel();
    if (!this.#connected) {
      // Out of the page nothing runs; connecting starts the login.
      this.#syncedEndpoint = undefined;
      return;
    }
    const endpoint = this.#options.endpoint();
    this.#syncedEndpoint = endpoint;
    this.login = undefined;
    this.redirectTo = undefined;
    this.error = undefined;
    this.rotations = 0;
    this.#failures = 0;
    if (endpoint === '') {
      this.#fail(new OtpLoginQrError('no_endpoint', 'The element has no endpoint attribute.'));
      return;
    }
    this.#setStatus('loading');
    void this.#requestLogin();
  }

  /** Aborts the request in flight and every timer; the element shows `idle`. */
  stop(): void {
    this.#cancel();
    if (this.status !== 'idle') this.#setStatus('idle');
  }

  /** Seconds left on the current QR, for the countdown. */
  secondsLeft(now = Date.now()): number {
    return Math.max(0, (this.expiresAt - now) / 1000);
  }

  /** Whether the QR on screen is the last one before "Get a new code". */
  isLastCode(): boolean {
    return this.rotations >= this.#options.maxRotations();
  }

  /** Seconds before the current QR's end at which it is replaced; 0 for the last one. */
  #lead(): number {
    return this.login && !this.isLastCode() ? rotationLead(this.login.expires_in) : 0;
  }

  #isActive(): boolean {
    return this.status === 'loading' || this.status === 'pending' || this.status === 'scanned';
  }

  #cancel(): void {
    this.#abortRequest();
    clearTimeout(this.#timer);
    clearTimeout(this.#rotationTimer);
    this.#timer = undefined;
    this.#rotationTimer = undefined;
  }

  #abortRequest(): void {
    const request = this.#request;
    this.#request = undefined;
    request?.abort();
  }

  /** A new request, replacing (aborting) any other: never two in flight. */
  #beginRequest(isPoll: boolean): AbortController {
    this.#abortRequest();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const request = new AbortController();
    this.#request = request;
    this.#requestIsPoll = isPoll;
    return request;
  }

  #isCurrent(request: AbortController): boolean {
    return this.#request === request;
  }

  #schedule(seconds: number, action: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        action();
      },
      Math.max(0, seconds * 1000),
    );
  }

  #setStatus(status: OtpLoginQrStatus): void {
    const previous = this.status;
    this.status = status;
    this.#host.requestUpdate();
    if (status !== previous) this.#options.statusChanged(status, previous);
  }

  #fail(error: OtpLoginQrError): void {
    this.#cancel();
    this.error = error;
    this.#setStatus('error');
  }

  #finish(status: 'accepted' | 'denied' | 'expired'): void {
    this.#cancel();
    this.#setStatus(status);
  }

  async #requestLogin(): Promise<void> {
    const request = this.#beginRequest(false);
    let response: Response;
    try {
      response = await send(this.#options.endpoint(), request, 'POST');
    } catch (cause) {
      if (this.#isCurrent(request)) this.#retryLogin(cause);
      return;
    }
    if (!this.#isCurrent(request)) return;
    if (response.status === 429 || isRetryable(response.status)) {
      discard(response);
      this.#retryLogin(httpError(response), retryAfter(response));
      return;
    }
    if (response.status !== 201 && response.status !== 200) {
      discard(response);
      this.#fail(httpError(response));
      return;
    }
    let login: StartLoginResponse;
    try {
      login = parseStartLoginResponse(await readJson(response));
      if (!this.#isCurrent(request)) return;
      this.#options.encode(login.qr);
    } catch (cause) {
      if (this.#isCurrent(request)) this.#fail(asWidgetError(cause));
      return;
    }
    this.#request = undefined;
    this.#failures = 0;
    this.login = login;
    this.#intervalSeconds = login.interval;
    this.expiresAt = Date.now() + login.expires_in * 1000;
    this.#scheduleRotation();
    this.#setStatus('pending');
    this.#poll();
  }

  #retryLogin(cause: unknown, delaySeconds?: number): void {
    this.#request = undefined;
    this.#failures += 1;
    if (this.#failures >= START_ATTEMPTS) {
      this.#fail(
        cause instanceof OtpLoginQrError
          ? cause
          : new OtpLoginQrError('network', 'The website cannot be reached.', { cause }),
      );
      return;
    }
    this.#schedule(delaySeconds ?? this.#backoffSeconds(), () => void this.#requestLogin());
  }

  /** At the rotation point: a new QR while rotations are left, else the end at `expires_in`. */
  #scheduleRotation(): void {
    clearTimeout(this.#rotationTimer);
    if (!this.login) return;
    const lead = this.#lead();
    this.#rotationTimer = setTimeout(
      () => {
        this.#rotationTimer = undefined;
        this.#handleQrEnd();
      },
      Math.max(0, this.expiresAt - lead * 1000 - Date.now()),
    );
  }

  #handleQrEnd(): void {
    // A phone is busy with this code: the website decides when it ends.
    if (this.status !== 'pending' || document.visibilityState === 'hidden') return;
    this.#rotateOrExpire();
  }

  #rotateOrExpire(): void {
    if (this.isLastCode()) {
      this.#finish('expired');
      return;
    }
    this.rotations += 1;
    this.#failures = 0;
    void this.#requestLogin();
  }

  #pollWaitSeconds(): number {
    const wanted = Math.min(
      Math.max(0, Math.floor(this.#options.pollWait())),
      MAX_STATUS_WAIT_SECONDS,
    );
    // Hold no longer than the time to the next rotation, so that a held request ends with its QR.
    if (!this.login || this.status !== 'pending') return wanted;
    // Rounded up: a request that outlives its QR by a moment is aborted by the rotation, which
    // costs nothing, while one that ends a moment early costs a whole extra request.
    return Math.max(0, Math.min(wanted, Math.ceil(this.secondsLeft() - this.#lead())));
  }

  #poll(): void {
    if (!this.login || document.visibilityState === 'hidden') return;
    void this.#requestStatus(this.login);
  }

  async #requestStatus(login: StartLoginResponse): Promise<void> {
    const request = this.#beginRequest(true);
    const sentAt = Date.now();
    const url = `${this.#options.endpoint()}/${encodeURIComponent(login.id)}?wait=${this.#pollWaitSeconds()}`;
    let response: Response;
    try {
      response = await send(url, request);
    } catch {
      if (this.#isCurrent(request)) this.#retryPoll(this.#backoffSeconds(true));
      return;
    }
    if (!this.#isCurrent(request)) return;
    if (response.status === 429) {
      discard(response);
      this.#retryPoll(retryAfter(response) ?? this.#intervalSeconds * 2);
      return;
    }
    if (isRetryable(response.status)) {
      discard(response);
      this.#retryPoll(this.#backoffSeconds(true));
      return;
    }
    if (response.status !== 200 && response.status !== 400) {
      discard(response);
      this.#fail(httpError(response));
      return;
    }
    let answer: ReturnType<typeof parseLoginStatusResponse>;
    try {
      answer = parseLoginStatusResponse(await readJson(response));
      if (!this.#isCurrent(request)) return;
      if (response.status === 400 && !isSlowDown(answer)) throw httpError(response);
    } catch (cause) {
      if (this.#isCurrent(request)) this.#fail(asWidgetError(cause));
      return;
    }
    this.#request = undefined;
    this.#failures = 0;
    if (isSlowDown(answer)) {
      this.#intervalSeconds = answer.interval ?? this.#intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      this.#retryPoll(this.#intervalSeconds);
      return;
    }
    this.#handleStatus(answer, sentAt);
  }

  #handleStatus(answer: LoginStatusResponse, sentAt: number): void {
    if (answer.interval !== undefined) this.#intervalSeconds = answer.interval;
    switch (answer.status) {
      case 'accepted':
        if (answer.redirect_to !== undefined && !this.#options.isSafeRedirect(answer.redirect_to)) {
          this.#fail(
            new OtpLoginQrError(
              'unsafe_redirect',
              "redirect_to must be an http(s) URL on this page's origin.",
            ),
          );
          return;
        }
        this.redirectTo = answer.redirect_to;
        this.#finish('accepted');
        return;
      case 'denied':
        this.#finish('denied');
        return;
      case 'expired':
        // An unused code that ran out early (clocks differ) is replaced like one that is about to.
        if (this.status === 'pending') this.#rotateOrExpire();
        else this.#finish('expired');
        return;
      case 'pending':
      case 'scanned':
        this.#setStatus(answer.status);
        // The interval is the least time between two requests; a held request counts toward it.
        this.#retryPoll(
          Math.max(this.#intervalSeconds, MIN_POLL_GAP_SECONDS) - (Date.now() - sentAt) / 1000,
        );
        return;
    }
  }

  #retryPoll(seconds: number): void {
    this.#request = undefined;
    this.#schedule(Math.max(seconds, 0), () => {
      this.#poll();
    });
  }

  /** Capped exponential backoff with jitter, never shorter than the interval. */
  #backoffSeconds(countFailure = false): number {
    if (countFailure) this.#failures += 1;
    const exponent = Math.max(0, this.#failures - 1);
    const ceiling = Math.min(BACKOFF.maxSeconds, BACKOFF.baseSeconds * 2 ** exponent);
    return Math.max(this.#intervalSeconds, ceiling * (0.5 + Math.random() / 2));
  }

  #pause(): void {
    // Hidden: no status request and no poll timer. A login being started finishes (its answer
    // only draws the QR), and the QR's own end waits for the page to come back.
    if (this.status !== 'pending' && this.status !== 'scanned') return;
    if (this.#request && this.#requestIsPoll) this.#abortRequest();
    if (!this.#request) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #resume(): void {
    if (this.status !== 'pending' && this.status !== 'scanned') return;
    if (this.#request || !this.login) return;
    if (this.status === 'pending' && this.secondsLeft() <= this.#lead()) this.#rotateOrExpire();
    else this.#poll();
  }
}

/**
 * A request to the website, JSON wanted. Credentials are fetch's default, `same-origin`: the
 * website's own cookies, nobody else's.
 */
function send(url: string, request: AbortController, method?: string): Promise<Response> {
  return fetch(url, { method, headers: { accept: 'application/json' }, signal: request.signal });
}

/** Lets go of a body that will not be read. */
function discard(response: Response): void {
  void response.body?.cancel();
}

function httpError(response: Response): OtpLoginQrError {
  return new OtpLoginQrError(
    'http_status',
    `The website answered ${response.status} ${response.statusText}.`.trim(),
  );
}

/** `Retry-After` in seconds (a number or an HTTP date), capped; undefined when absent or bad. */
function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header)
    : (Date.parse(header) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, seconds), MAX_RETRY_AFTER_SECONDS);
}

function asWidgetError(cause: unknown): OtpLoginQrError {
  if (cause instanceof OtpLoginQrError) return cause;
  if (cause instanceof WebsiteContractError)
    return new OtpLoginQrError('malformed_response', cause.message, { cause });
  return new OtpLoginQrError('qr_encoding', 'The code cannot be drawn as a QR code.', { cause });
}
