import { http, HttpResponse, type RequestHandler } from 'msw';
import * as v from 'valibot';
import {
  CONFIRM_REQUEST_MAX_BYTES,
  readConfirmRequest,
  LoginStatusResponseSchema,
  MAX_STATUS_WAIT_SECONDS,
  PRESENCE_TRIES,
  SlowDownResponseSchema,
  StartLoginResponseSchema,
  type ConfirmKind,
  type LoginStatus,
  type LoginStatusResponse,
  type SlowDownResponse,
  type StartLoginResponse,
} from '../protocol/index.js';
import {
  BUSY,
  FORBIDDEN,
  INVALID_CONFIRMATION,
  jsonAnswer,
  NOT_FOUND,
  REAUTHENTICATION_REQUIRED,
  UNAUTHORIZED,
  UNAVAILABLE,
} from './website-answers.js';
import { bindingCookie, newBindingSecret, readBindingSecret } from './website-binding-cookie.js';
import { isSentFromOrigin } from './website-origin.js';

/**
 * How the mocked website answers `<otp-login-qr>`:
 * - `accept`, `deny`, `expire`: `pending` (then `scanned` from poll `scannedAt`) until poll
 *   `polls`, which answers `accepted` (with `redirect_to`, once: a later poll gets 404), `denied`
 *   or `expired`;
 * - `pending`: nobody ever scans the code (it expires after `expiresIn`);
 * - `lost`: poll `polls` finds the login gone (the website restarted, say): 404, as every later
 *   poll;
 * - `slow_down`: every poll before `polls` answers 400 `{error: "slow_down", interval}`, then
 *   `accepted`;
 * - `rate_limited`: every poll before `polls` answers 429 with `Retry-After` and
 *   `{error: "slow_down", interval}`, then `accepted`;
 * - `network_error`: every poll before `polls` fails as if offline, then `accepted`;
 * - `offline`: every request fails as if offline, starting a login too;
 * - `forbidden_origin`: starting a login answers 403 `{error: "forbidden"}`, as a website whose
 *   `publicOrigin` is not the page's origin does;
 * - `compare_code`: linking a phone. `pending` until poll `polls`, which answers `confirm` with
 *   `confirm: "compare_code"` and `compare_code` (option `compareCode`), as every later poll, until
 *   the page posts `{matches}` to `{endpoint}/{id}/confirm`: `true` answers `accepted` (once),
 *   `false` answers `denied` (and so does every later poll);
 * - `enter_code`: a login with proof of presence. Like `accept`, but poll `polls` answers
 *   `confirm` with `confirm: "enter_code"`, until the page posts `{code}` to
 *   `{endpoint}/{id}/confirm`: the phone's code (option `presenceCode`) answers `accepted` (once);
 *   a wrong one answers `confirm` with `tries_left`, and the third wrong one `denied`;
 * - `unauthorized`: starting answers 401 `{error: "unauthorized"}`, as a second factor or a
 *   phone link does when nobody is logged in;
 * - `reauthentication_required`: starting answers 401 `{error: "reauthentication_required"}`, as
 *   a phone link does when the user has not signed in recently enough;
 * - `busy`: starting answers 503 `{error: "busy"}` with `Retry-After: 10` (too many logins);
 * - `unavailable`: starting answers 503 `{error: "unavailable"}` with `Retry-After: 5` (the Token
 *   Server cannot be reached).
 */
export type OtpLoginScenario =
  | 'accept'
  | 'deny'
  | 'expire'
  | 'pending'
  | 'lost'
  | 'slow_down'
  | 'rate_limited'
  | 'network_error'
  | 'offline'
  | 'forbidden_origin'
  | 'compare_code'
  | 'enter_code'
  | 'unauthorized'
  | 'reauthentication_required'
  | 'busy'
  | 'unavailable';

export interface OtpLoginHandlersOptions {
  /** The element's `endpoint`. Default `/otp-login`; in Node, an absolute URL. */
  readonly endpoint?: string;
  /** Default `accept`. */
  readonly scenario?: OtpLoginScenario;
  /** The poll (1-based, per code) that gets the final answer. Default 2. */
  readonly polls?: number;
  /** The first poll that answers `scanned`; none when absent. */
  readonly scannedAt?: number;
  /** `redirect_to` of `accepted`. Default `/`. */
  readonly redirectTo?: string;
  /** A number-matching code to send with every new login. */
  readonly code?: string;
  /** `compare_code`: the code the phone shows, which the page is asked to compare. Default `123456`. */
  readonly compareCode?: string;
  /** `enter_code`: the code the phone shows, which the page must type. Default `246810`. */
  readonly presenceCode?: string;
  /** A `same_device_url` to send with every new login. */
  readonly sameDeviceUrl?: string;
  /** `expires_in` of every new login, seconds. Default 60. */
  readonly expiresIn?: number;
  /** `interval` of every new login, seconds: a poll sooner gets `slow_down`. Default 2. */
  readonly interval?: number;
  /** The `interval` sent with the `slow_down` scenario's answers. Default `interval`. */
  readonly slowDownInterval?: number;
  /** `Retry-After` of `rate_limited`, seconds. Default 3. */
  readonly retryAfter?: number;
  /**
   * Hold a poll whose status is the one the last poll got (at first `pending`) for the `wait` the
   * element asks, at most 25 s or until the code runs out, like the kit's long-poll.
   */
  readonly holdPending?: boolean;
  /**
   * The website's own origin: a start whose `Origin` is another gets 403, as from the kit. Default:
   * the origin the request is sent to.
   */
  readonly publicOrigin?: string;
}

/** The kit's default `maxWaitSeconds`: the longest it holds a status request. */
const MAX_HOLD_SECONDS = Math.min(25, MAX_STATUS_WAIT_SECONDS);
/** A poll may come this early (timer rounding) without a slow_down, as the kit allows. */
const INTERVAL_TOLERANCE_MS = 200;
/** A finished login stays readable this long after its code ran out, as in the kit. */
const KEEP_AFTER_EXPIRY_MS = 60_000;

interface MockLogin {
  /** The binding cookie's value in the browser that started it. */
  readonly secret: string;
  readonly expiresAt: number;
  /** Polls answered so far (a `slow_down` for polling too fast does not count). */
  polls: number;
  /** The earliest time of the next poll: the start of this one plus `interval`. */
  nextPollAt: number;
  /** The status the last poll got; a held poll waits for another. */
  lastStatus: LoginStatus;
  /** `enter_code`: the codes the page may still type. */
  triesLeft: number;
  /** What the page's confirmation decided; later polls answer it. */
  confirmed?: 'denied';
}

/**
 * MSW handlers for the website ↔ widget contract, for testing a page that uses `<otp-login-qr>`
 * without a server: `setupWorker(...otpLoginHandlers({ scenario: 'deny' }))`. They answer as the
 * relying-party kit does (test/contract runs the same suite against both): a binding cookie on
 * start, which every poll must send back; `Origin` checked on start; `interval` enforced with
 * `slow_down`; `accepted` answered once.
 */
export function otpLoginHandlers(options: OtpLoginHandlersOptions = {}): RequestHandler[] {
  const endpoint = options.endpoint ?? '/otp-login';
  const scenario = options.scenario ?? 'accept';
  const finalPoll = options.polls ?? 2;
  const interval = options.interval ?? 2;
  const expiresIn = options.expiresIn ?? 60;
  const redirectTo = options.redirectTo ?? '/';
  const retryAfter = options.retryAfter ?? 3;
  const slowDown: SlowDownResponse = {
    error: 'slow_down',
    interval: options.slowDownInterval ?? interval,
  };
  const pace: SlowDownResponse = { error: 'slow_down', interval };
  const rateLimited: SlowDownResponse = { error: 'slow_down', interval: Math.min(retryAfter, 600) };
  const compareCode = options.compareCode ?? '123456';
  const presenceCode = options.presenceCode ?? '246810';
  const confirmKind: ConfirmKind | undefined =
    scenario === 'compare_code' || scenario === 'enter_code' ? scenario : undefined;
  const extras = {
    ...(options.code === undefined ? {} : { code: options.code }),
    ...(options.sameDeviceUrl === undefined ? {} : { same_device_url: options.sameDeviceUrl }),
  };
  checkOptions(
    {
      id: 'mock-login-1',
      qr: 'https://app.example/#1',
      expires_in: expiresIn,
      interval,
      ...extras,
    },
    [slowDown, rateLimited],
    redirectTo,
    [
      { status: 'confirm', confirm: 'compare_code', compare_code: compareCode },
      { status: 'confirm', confirm: 'enter_code', tries_left: 1 },
    ],
  );
  if (!/^\d{6}$/.test(presenceCode))
    throw new TypeError('otpLoginHandlers: presenceCode must be six digits, as the phone shows.');
  if (!Number.isInteger(retryAfter) || retryAfter < 1)
    throw new TypeError(
      'otpLoginHandlers: retryAfter must be a whole number of seconds, at least 1.',
    );
  const logins = new Map<string, MockLogin>();
  let started = 0;

  return [
    http.post(endpoint, ({ request, cookies }) => {
      if (scenario === 'offline') return HttpResponse.error();
      const publicOrigin = options.publicOrigin ?? new URL(request.url).origin;
      if (scenario === 'forbidden_origin' || !isSentFromOrigin(request, publicOrigin))
        return jsonAnswer(403, FORBIDDEN);
      if (scenario === 'unauthorized') return jsonAnswer(401, UNAUTHORIZED);
      if (scenario === 'reauthentication_required')
        return jsonAnswer(401, REAUTHENTICATION_REQUIRED);
      if (scenario === 'busy') return jsonAnswer(503, BUSY, { 'Retry-After': '10' });
      if (scenario === 'unavailable') return jsonAnswer(503, UNAVAILABLE, { 'Retry-After': '5' });

      // A browser's binding cookie is kept, so that two tabs can each log in.
      const sent = request.credentials === 'omit' ? {} : cookies;
      const secret = readBindingSecret(sent, request.url) ?? newBindingSecret();
      started += 1;
      const id = `mock-login-${started}`;
      logins.set(id, {
        secret,
        expiresAt: Date.now() + expiresIn * 1000,
        polls: 0,
        nextPollAt: 0,
        lastStatus: 'pending',
        triesLeft: PRESENCE_TRIES,
      });
      const body: StartLoginResponse = {
        id,
        // Not the id: whoever sees the QR must not be able to poll (the kit's two secrets).
        qr: `https://app.example/#otp=${started}`,
        expires_in: expiresIn,
        interval,
        ...extras,
      };
      return jsonAnswer(201, body, { 'Set-Cookie': bindingCookie(secret, request.url) });
    }),

    http.get(`${endpoint}/:id`, async ({ params, request, cookies }) => {
      if (scenario === 'offline') return HttpResponse.error();
      const id = String(params['id']);
      const login = logins.get(id);
      const sent = request.credentials === 'omit' ? {} : cookies;
      // No cookie, another browser's, an unknown id, a used or forgotten login: one answer.
      if (login === undefined || readBindingSecret(sent, request.url) !== login.secret)
        return jsonAnswer(404, NOT_FOUND);
      if (Date.now() >= login.expiresAt + KEEP_AFTER_EXPIRY_MS) {
        logins.delete(id);
        return jsonAnswer(404, NOT_FOUND);
      }

      const poll = login.polls + 1;
      const final = poll >= finalPoll;
      if (!final && scenario === 'network_error') {
        login.polls = poll;
        return HttpResponse.error();
      }
      if (!final && scenario === 'rate_limited') {
        login.polls = poll;
        return jsonAnswer(429, rateLimited, { 'Retry-After': String(retryAfter) });
      }
      if (!final && scenario === 'slow_down') {
        login.polls = poll;
        return jsonAnswer(400, slowDown);
      }
      // `interval` runs from the start of a poll, as the element counts it: a held poll counts.
      const now = Date.now();
      // (The kit also refuses a poll while another of the login is held. MSW does not tell a
      // handler that the page aborted a request, so the mock cannot tell a held poll the page
      // gave up from one still waiting, and does not refuse.)
      if (now < login.nextPollAt - INTERVAL_TOLERANCE_MS) return jsonAnswer(400, pace);
      login.polls = poll;
      login.nextPollAt = now + interval * 1000;

      if (final && scenario === 'lost') {
        logins.delete(id);
        return jsonAnswer(404, NOT_FOUND);
      }
      if (login.confirmed !== undefined) return jsonAnswer(200, { status: login.confirmed });
      let status: LoginStatus =
        final && scenario !== 'pending'
          ? finalStatus(scenario)
          : options.scannedAt !== undefined && poll >= options.scannedAt
            ? 'scanned'
            : 'pending';
      if (
        options.holdPending &&
        status === login.lastStatus &&
        (status === 'pending' || status === 'scanned')
      ) {
        await hold(holdSeconds(request, login.expiresAt - now), request.signal);
      }
      if ((status === 'pending' || status === 'scanned') && Date.now() >= login.expiresAt)
        status = 'expired';
      login.lastStatus = status;
      if (status === 'confirm') return jsonAnswer(200, confirmStatus(login));
      if (status === 'accepted') {
        // Once: the session cookie is set in this answer, and a replayed poll finds nothing.
        logins.delete(id);
        return jsonAnswer(200, {
          status,
          redirect_to: redirectTo,
        } satisfies LoginStatusResponse);
      }
      return jsonAnswer(200, { status } satisfies LoginStatusResponse);
    }),

    http.post(`${endpoint}/:id/confirm`, async ({ params, request, cookies }) => {
      if (scenario === 'offline') return HttpResponse.error();
      const publicOrigin = options.publicOrigin ?? new URL(request.url).origin;
      if (!isSentFromOrigin(request, publicOrigin)) return jsonAnswer(403, FORBIDDEN);
      const id = String(params['id']);
      const login = logins.get(id);
      const sent = request.credentials === 'omit' ? {} : cookies;
      if (login === undefined || readBindingSecret(sent, request.url) !== login.secret)
        return jsonAnswer(404, NOT_FOUND);
      const confirmation = await confirmationOf(request);
      const fits =
        confirmation !== undefined &&
        confirmKind !== undefined &&
        ('code' in confirmation ? 'enter_code' : 'compare_code') === confirmKind;
      if (!fits || login.lastStatus !== 'confirm' || login.confirmed !== undefined)
        return jsonAnswer(400, INVALID_CONFIRMATION);
      const right =
        'matches' in confirmation ? confirmation.matches : confirmation.code === presenceCode;
      if (right) {
        // Once: the session cookie is set in this answer, and the login is gone.
        logins.delete(id);
        return jsonAnswer(200, {
          status: 'accepted',
          redirect_to: redirectTo,
        } satisfies LoginStatusResponse);
      }
      if ('code' in confirmation && login.triesLeft > 1) {
        login.triesLeft -= 1;
        return jsonAnswer(200, confirmStatus(login));
      }
      login.confirmed = 'denied';
      return jsonAnswer(200, { status: 'denied' } satisfies LoginStatusResponse);
    }),
  ];

  /** A `confirm` status as the kit answers it. */
  function confirmStatus(login: MockLogin): LoginStatusResponse {
    return confirmKind === 'compare_code'
      ? { status: 'confirm', confirm: 'compare_code', compare_code: compareCode }
      : {
          status: 'confirm',
          confirm: 'enter_code',
          ...(login.triesLeft < PRESENCE_TRIES ? { tries_left: login.triesLeft } : {}),
        };
  }
}

function finalStatus(scenario: OtpLoginScenario): LoginStatus {
  if (scenario === 'deny') return 'denied';
  if (scenario === 'expire') return 'expired';
  if (scenario === 'compare_code' || scenario === 'enter_code') return 'confirm';
  return 'accepted';
}

/** The confirmation in a JSON body within the kit's cap; undefined for anything else. */
async function confirmationOf(request: Request) {
  const text = await request.text();
  if (new TextEncoder().encode(text).length > CONFIRM_REQUEST_MAX_BYTES) return undefined;
  return readConfirmRequest(request.headers.get('content-type'), text);
}

/** The `wait` asked for, at most the kit's hold and the time left on the code. */
function holdSeconds(request: Request, msLeft: number): number {
  const raw = new URL(request.url).searchParams.get('wait');
  const wait = raw !== null && /^[0-9]{1,3}$/.test(raw) ? Number(raw) : 0;
  return Math.max(0, Math.min(wait, MAX_HOLD_SECONDS, msLeft / 1000));
}

/** Waits `seconds`, or until the browser goes away. */
function hold(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (seconds <= 0 || signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    signal.addEventListener('abort', done);
  });
}

/** Refuses options with which the mock would answer what no website of the contract sends. */
function checkOptions(
  start: StartLoginResponse,
  slowDowns: SlowDownResponse[],
  redirectTo: string,
  confirms: unknown[],
): void {
  const checks: [v.GenericSchema, unknown][] = [
    [StartLoginResponseSchema, start],
    [LoginStatusResponseSchema, { status: 'accepted', redirect_to: redirectTo }],
    ...slowDowns.map((body): [v.GenericSchema, unknown] => [SlowDownResponseSchema, body]),
    ...confirms.map((body): [v.GenericSchema, unknown] => [LoginStatusResponseSchema, body]),
  ];
  for (const [schema, body] of checks) {
    const result = v.safeParse(schema, body);
    if (!result.success)
      throw new TypeError(
        `otpLoginHandlers: a website would never answer ${JSON.stringify(body)}: ${v.summarize(result.issues)}`,
      );
  }
}
