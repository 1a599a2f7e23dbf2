import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  isSlowDown,
  MAX_STATUS_WAIT_SECONDS,
  parseLoginStatusResponse,
  parseStartLoginResponse,
  WebsiteContractError,
  type LoginStatusResponse,
  type SlowDownResponse,
  type StartLoginResponse,
} from '../protocol/website-contract.js';
import type { ConfirmRequest } from '../protocol/website-contract-schemas.js';
import { OtpLoginQrError } from './otp-login-qr-error.js';
import {
  BACKOFF,
  MAX_RETRY_AFTER_SECONDS,
  MIN_POLL_GAP_SECONDS,
  rotationLead,
  SLOW_DOWN_STEP_SECONDS,
  START_ATTEMPTS,
} from './polling-tuning.js';
import { readJson } from './read-json.js';

/**
 * Where the element stands: `idle` before it starts or after `stop()`, `loading` while it asks for
 * a first code, then the login's own statuses (`confirm`: the browser's user must confirm what the
 * phone shows), or `error` when the website breaks the contract.
 */
export type OtpLoginQrStatus =
  | 'idle'
  | 'loading'
  | 'pending'
  | 'scanned'
  | 'confirm'
  | 'accepted'
  | 'denied'
  | 'expired'
  | 'error';

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

/**
 * Starts a login on the website, polls it with long-poll, replaces the QR before it runs out and
 * reports every change of status — the way `@lit/task` is built: work starts in `hostConnected`
 * and stops in `hostDisconnected`, every request has its own `AbortSignal`, and an answer to a
 * request that is no longer the current one is ignored. At most one request is in flight, at most
 * one poll timer is waiting, and nothing is polled while the page is hidden.
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
  /**
   * The website's last `confirm` answer in this run: its `confirm` says what to ask,
   * `compare_code` the code to compare, `tries_left` the tries left after a wrong code.
   */
  confirmation: LoginStatusResponse | undefined;

  private readonly _host: ReactiveControllerHost;
  private readonly _options: LoginPollOptions;
  /** The endpoint when the host last synced or started; a change starts a new login. */
  private _syncedEndpoint: string | undefined;
  /** The request in flight: the only one whose answer counts. */
  private _request: AbortController | undefined;
  private _requestIsPoll = false;
  /** The next poll, or the next attempt at starting a login. */
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** The current QR's end: the time to replace it, or to give up. */
  private _rotationTimer: ReturnType<typeof setTimeout> | undefined;
  private _intervalSeconds = 0;
  private _failures = 0;
  private _connected = false;
  private readonly _handleVisibilityChange = () => {
    if (isPageHidden()) this._pause();
    else this._resume();
  };

  constructor(host: ReactiveControllerHost, options: LoginPollOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this._connected = true;
    document.addEventListener('visibilitychange', this._handleVisibilityChange);
    // The login starts in the host's next update (which calls sync()), not inside
    // connectedCallback: frameworks such as React attach listeners after they insert the element.
    this._host.requestUpdate();
  }

  hostDisconnected(): void {
    this._connected = false;
    document.removeEventListener('visibilitychange', this._handleVisibilityChange);
    this._cancel();
    // Back in the page, an interrupted login starts again; a finished one stays as it ended.
    if (this.status === 'loading' || this._isPolling()) {
      this._syncedEndpoint = undefined;
      this._setStatus('idle');
    }
  }

  /**
   * Starts a login when connected and the endpoint has changed since the last start; the host
   * calls it on every update.
   */
  sync(): void {
    const endpoint = this._options.endpoint();
    if (!this._connected || endpoint === this._syncedEndpoint) return;
    if (endpoint) this.start();
    else {
      this._syncedEndpoint = endpoint;
      this.stop();
    }
  }

  /** Forgets the current login and starts a new one, with a fresh rotation budget. */
  start(): void {
    this._cancel();
    // Out of the page nothing runs; connecting starts the login.
    this._syncedEndpoint = this._connected ? this._options.endpoint() : undefined;
    if (!this._connected) return;
    this.login = this.redirectTo = this.error = this.confirmation = undefined;
    this.rotations = this._failures = 0;
    if (this._syncedEndpoint) {
      this._setStatus('loading');
      void this._requestLogin();
    } else {
      this._fail(new OtpLoginQrError('no_endpoint', 'The element has no endpoint attribute.'));
    }
  }

  /** Aborts the request in flight and every timer; the element shows `idle`. */
  stop(): void {
    this._cancel();
    if (this.status !== 'idle') this._setStatus('idle');
  }

  /** Seconds left on the current QR, for the countdown. */
  secondsLeft(now = Date.now()): number {
    return Math.max(0, (this.expiresAt - now) / 1000);
  }

  /** Whether the QR on screen is the last one before "Get a new code". */
  isLastCode(): boolean {
    return this.rotations >= this._options.maxRotations();
  }

  /**
   * Sends the user's confirmation while the status is `confirm`: the code typed from the phone
   * (`{code}`, six digits) or whether the phone shows the page's code (`{matches}`). The answer
   * counts as a status answer. False, and nothing sent, when the website asks for no such thing,
   * when the code is not six digits, or while an earlier confirmation is on its way.
   */
  confirm(confirmation: ConfirmRequest): boolean {
    const { login } = this;
    const body =
      'code' in confirmation
        ? /^\d{6}$/.test(confirmation.code) && { code: confirmation.code }
        : typeof confirmation.matches === 'boolean' && { matches: confirmation.matches };
    if (
      !login ||
      !body ||
      this.status !== 'confirm' ||
      this.confirmation?.confirm !== ('code' in body ? 'enter_code' : 'compare_code') ||
      (this._request && !this._requestIsPoll)
    )
      return false;
    const sentAt = Date.now();
    // The held poll is aborted: one request at a time, and the confirmation's answer is newer.
    void this._send(
      `${this._statusUrl(login)}/confirm`,
      [200],
      readStatus,
      (answer) => {
        this._handleAnswer(answer, sentAt);
      },
      // Lost on the way, refused for now (429) or a server's failure: back to polling, which
      // says what became of it (and hands over the session if the confirmation did log in).
      (_cause, response) => {
        this._pollLater(response);
      },
      JSON.stringify(body),
    );
    return true;
  }

  /** Seconds before the current QR's end at which it is replaced; 0 for the last one. */
  private _lead(): number {
    return this.login && !this.isLastCode() ? rotationLead(this.login.expires_in) : 0;
  }

  /** Whether the controller polls: a QR is on screen, or the browser is asked to confirm. */
  private _isPolling(): boolean {
    return this.status === 'pending' || this.status === 'scanned' || this.status === 'confirm';
  }

  private _statusUrl(login: StartLoginResponse): string {
    return `${this._options.endpoint()}/${encodeURIComponent(login.id)}`;
  }

  private _cancel(): void {
    this._abortRequest();
    clearTimeout(this._timer);
    clearTimeout(this._rotationTimer);
  }

  private _abortRequest(): void {
    const request = this._request;
    this._request = undefined;
    request?.abort();
  }

  private _schedule(seconds: number, action: () => void): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(action, seconds * 1000);
  }

  private _setStatus(status: OtpLoginQrStatus): void {
    const previous = this.status;
    this.status = status;
    this._host.requestUpdate();
    if (status !== previous) this._options.statusChanged(status, previous);
  }

  /** Ends the run: nothing more in flight or waiting. */
  private _finish(
    status: 'accepted' | 'denied' | 'expired' | 'error',
    error?: OtpLoginQrError,
  ): void {
    this._cancel();
    this.error = error;
    this._setStatus(status);
  }

  private _fail(error: OtpLoginQrError): void {
    this._finish('error', error);
  }

  /**
   * One request to the website, in place of any other (never two in flight), JSON wanted;
   * credentials are fetch's default, `same-origin`: the website's own cookies, nobody else's.
   * With a `body` (JSON, or '' for none), a POST.
   * A failed network, a timeout, 429 or a server error goes to `retry`, with the answer if there
   * is one. Any other status than `expected`, or a body that `read` refuses, is the error state.
   * A body that `read` accepts goes to `handle`. An answer to a request that is no longer the
   * current one is dropped.
   */
  private async _send<T>(
    url: string,
    expected: readonly number[],
    read: (body: unknown, response: Response) => T,
    handle: (value: T) => void,
    retry: (cause: unknown, response?: Response) => void,
    body?: string,
  ): Promise<void> {
    this._abortRequest();
    clearTimeout(this._timer);
    const request = (this._request = new AbortController());
    this._requestIsPoll = body === undefined;
    let response: Response | undefined;
    let value: T;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body ? { accept: JSON_TYPE, 'content-type': JSON_TYPE } : { accept: JSON_TYPE },
        body: body || null,
        signal: request.signal,
      });
      if (isRetryable(response) || !expected.includes(response.status)) {
        // Lets go of a body that will not be read.
        void response.body?.cancel();
        throw httpError(response);
      }
      const json = await readJson(response);
      if (this._request !== request) return;
      value = read(json, response);
    } catch (cause) {
      if (this._request !== request) return;
      this._request = undefined;
      if (!response || isRetryable(response)) retry(cause, response);
      else this._fail(asWidgetError(cause));
      return;
    }
    this._request = undefined;
    this._failures = 0;
    handle(value);
  }

  private _requestLogin(): Promise<void> {
    return this._send(
      this._options.endpoint(),
      [200, 201],
      (body) => {
        const login = parseStartLoginResponse(body);
        this._options.encode(login.qr);
        return login;
      },
      (login) => {
        this.login = login;
        this._intervalSeconds = login.interval;
        this.expiresAt = Date.now() + login.expires_in * 1000;
        // At the rotation point: a new QR while rotations are left, else the end at
        // `expires_in`. A phone busy with this code (`scanned`) lets the website decide when it
        // ends, and a hidden page waits until it is seen again.
        clearTimeout(this._rotationTimer);
        this._rotationTimer = setTimeout(
          () => {
            if (this.status === 'pending' && !isPageHidden()) this._rotateOrExpire();
          },
          this.expiresAt - this._lead() * 1000 - Date.now(),
        );
        this._setStatus('pending');
        this._poll();
      },
      (cause, response) => {
        this._failures += 1;
        if (this._failures < START_ATTEMPTS) {
          this._schedule((response && retryAfter(response)) ?? this._backoffSeconds(), () => {
            void this._requestLogin();
          });
        } else {
          this._fail(asNetworkError(cause));
        }
      },
      '',
    );
  }

  private _rotateOrExpire(): void {
    if (this.isLastCode()) {
      this._finish('expired');
      return;
    }
    this.rotations += 1;
    this._failures = 0;
    void this._requestLogin();
  }

  private _poll(): void {
    const { login } = this;
    if (!login || isPageHidden()) return;
    const wanted = Math.min(
      Math.max(0, Math.floor(this._options.pollWait())),
      MAX_STATUS_WAIT_SECONDS,
    );
    // Hold no longer than the time to the next rotation, so that a held request ends with its QR.
    // Rounded up: a request that outlives its QR by a moment is aborted by the rotation, which
    // costs nothing, while one that ends a moment early costs a whole extra request.
    const wait =
      this.status === 'pending'
        ? Math.max(0, Math.min(wanted, Math.ceil(this.secondsLeft() - this._lead())))
        : wanted;
    const sentAt = Date.now();
    void this._send(
      `${this._statusUrl(login)}?wait=${wait}`,
      [200, 400],
      readStatus,
      (answer) => {
        this._handleAnswer(answer, sentAt);
      },
      (_cause, response) => {
        this._pollLater(response);
      },
    );
  }

  /** After a failed request: the next poll after `Retry-After` (429), else after a back-off. */
  private _pollLater(response: Response | undefined): void {
    this._pollIn(
      response?.status === 429
        ? (retryAfter(response) ?? this._intervalSeconds * 2)
        : this._backoffSeconds(true),
    );
  }

  private _pollIn(seconds: number): void {
    this._schedule(seconds, () => {
      this._poll();
    });
  }

  private _handleAnswer(answer: LoginStatusResponse | SlowDownResponse, sentAt: number): void {
    if (isSlowDown(answer)) {
      this._intervalSeconds = answer.interval ?? this._intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      this._pollIn(this._intervalSeconds);
    } else {
      this._handleStatus(answer, sentAt);
    }
  }

  private _handleStatus(answer: LoginStatusResponse, sentAt: number): void {
    if (answer.interval !== undefined) this._intervalSeconds = answer.interval;
    const { status, redirect_to: redirectTo } = answer;
    if (status === 'confirm') this.confirmation = answer;
    if (status === 'accepted') {
      if (redirectTo === undefined || this._options.isSafeRedirect(redirectTo)) {
        this.redirectTo = redirectTo;
        this._finish(status);
      } else {
        this._fail(
          new OtpLoginQrError(
            'unsafe_redirect',
            "redirect_to must be an http(s) URL on this page's origin.",
          ),
        );
      }
    } else if (status === 'denied') {
      this._finish(status);
    } else if (status === 'expired') {
      // An unused code that ran out early (clocks differ) is replaced like one that is about to.
      if (this.status === 'pending') this._rotateOrExpire();
      else this._finish(status);
    } else {
      this._setStatus(status);
      // The interval is the least time between two requests; a held request counts toward it.
      this._pollIn(
        Math.max(this._intervalSeconds, MIN_POLL_GAP_SECONDS) - (Date.now() - sentAt) / 1000,
      );
    }
  }

  /** Capped exponential backoff with jitter, never shorter than the interval. */
  private _backoffSeconds(countFailure = false): number {
    if (countFailure) this._failures += 1;
    const ceiling = Math.min(
      BACKOFF.maxSeconds,
      BACKOFF.baseSeconds * 2 ** Math.max(0, this._failures - 1),
    );
    return Math.max(this._intervalSeconds, ceiling * (0.5 + Math.random() / 2));
  }

  private _pause(): void {
    // Hidden: no status request and no poll timer. A login being started finishes (its answer
    // only draws the QR), and the QR's own end waits for the page to come back.
    if (!this._isPolling()) return;
    if (this._requestIsPoll) this._abortRequest();
    if (!this._request) clearTimeout(this._timer);
  }

  private _resume(): void {
    if (!this._isPolling() || this._request) return;
    if (this.status === 'pending' && this.secondsLeft() <= this._lead()) this._rotateOrExpire();
    else this._poll();
  }
}

const JSON_TYPE = 'application/json';

/**
 * Reads the answer to a status request or a confirmation: a status, or (with 400) a `slow_down`.
 * The parser refuses a `confirm` that does not say what to confirm, or a comparison without its
 * code: a page that asked "Does your phone show this code?" without a code would let any phone
 * through.
 */
function readStatus(body: unknown, response: Response): LoginStatusResponse | SlowDownResponse {
  const answer = parseLoginStatusResponse(body);
  if (response.status === 400 && !isSlowDown(answer)) throw httpError(response);
  return answer;
}

/** A failure to reach the website, unless it is already one of the element's errors. */
function asNetworkError(cause: unknown): OtpLoginQrError {
  return cause instanceof OtpLoginQrError
    ? cause
    : new OtpLoginQrError('network', 'The website cannot be reached.', { cause });
}

function isPageHidden(): boolean {
  return document.visibilityState === 'hidden';
}

/** A timeout, too many requests or a server error: worth asking again (after a wait). */
function isRetryable({ status }: Response): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function httpError(response: Response): OtpLoginQrError {
  return new OtpLoginQrError(
    'http_status',
    `The website answered ${response.status} ${response.statusText}.`.trim(),
  );
}

/** `Retry-After` in seconds (a number or an HTTP date), capped; undefined when absent or bad. */
function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds)
    ? Math.min(Math.max(0, seconds), MAX_RETRY_AFTER_SECONDS)
    : undefined;
}

function asWidgetError(cause: unknown): OtpLoginQrError {
  if (cause instanceof OtpLoginQrError) return cause;
  if (cause instanceof WebsiteContractError)
    return new OtpLoginQrError('malformed_response', cause.message, { cause });
  return new OtpLoginQrError('qr_encoding', 'The code cannot be drawn as a QR code.', { cause });
}
