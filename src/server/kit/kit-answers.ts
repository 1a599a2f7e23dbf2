import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
  ConfirmKind,
  LoginStatus,
  LoginStatusResponse,
  StartLoginResponse,
} from '../../protocol/index.js';
import { StoreError } from '../store/store-error.js';
import type { LoginOutcome } from './kit-config.js';

/*
 * Every answer the kit gives, in one place: what a browser (or the Token Server's callback) is
 * told for each outcome, and for each failure.
 */

/** The same bytes for "no cookie", "another browser's cookie", "unknown id" and "already used". */
const NO_SUCH_LOGIN = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
} as const;

/** 201: a login started; the browser gets its binding cookie. */
export function started(c: Context, body: StartLoginResponse, bindingCookie: string): Response {
  return answer(c, 201, body, { 'Set-Cookie': bindingCookie });
}

/** What the browser's user must do while a login's status is `confirm`. */
export type ConfirmDetails =
  | { kind: Extract<ConfirmKind, 'compare_code'>; compareCode: string }
  | { kind: Extract<ConfirmKind, 'enter_code'>; triesLeft?: number };

/** 200: the login's status, when it is not (or not yet) a log-in; with `confirm`, what to do. */
export function reportStatus(
  c: Context,
  status: Exclude<LoginStatus, 'accepted' | 'confirm'>,
): Response;
export function reportStatus(c: Context, status: 'confirm', confirm: ConfirmDetails): Response;
export function reportStatus(
  c: Context,
  status: Exclude<LoginStatus, 'accepted'>,
  confirm?: ConfirmDetails,
): Response {
  let body: LoginStatusResponse = { status };
  if (confirm?.kind === 'compare_code')
    body = { status, confirm: confirm.kind, compare_code: confirm.compareCode };
  else if (confirm?.kind === 'enter_code')
    body = {
      status,
      confirm: confirm.kind,
      ...(confirm.triesLeft === undefined ? {} : { tries_left: confirm.triesLeft }),
    };
  return answer(c, 200, body);
}

/** 200 accepted: the website's session cookies and headers, and where the page goes. */
export function loggedIn(c: Context, outcome: LoginOutcome): Response {
  const headers = new Headers(outcome.headers);
  for (const cookie of outcome.cookies ?? []) headers.append('Set-Cookie', cookie);
  const body: LoginStatusResponse = { status: 'accepted', redirect_to: outcome.redirectTo };
  return answer(c, 200, body, headers);
}

/** 404: no login of this id in this browser, whichever of the reasons it is. */
export function noSuchLogin(c: Context): Response {
  return answer(c, 404, NO_SUCH_LOGIN);
}

/** 404: not one of the kit's paths. */
export function notKitPath(c: Context): Response {
  return answer(c, 404, { error: 'not_found' });
}

/** 403: a start that did not come from the website's own pages (CSRF). */
export function forbidden(c: Context): Response {
  return answer(c, 403, {
    error: 'forbidden',
    error_description: 'This request did not come from this website.',
  });
}

/** 401: a second factor or a link, and nobody is logged in. */
export function unauthorized(c: Context): Response {
  return answer(c, 401, { error: 'unauthorized', error_description: 'Log in first.' });
}

/**
 * 401: a phone link asked for by a user who has not authenticated recently enough: the website
 * asks for the password (or a scan) again first.
 */
export function reauthenticationRequired(c: Context): Response {
  return answer(c, 401, {
    error: 'reauthentication_required',
    error_description: 'Sign in again before you link a phone.',
  });
}

/** 400: a confirmation that is not one this login waits for; nothing changed. */
export function invalidConfirmation(c: Context): Response {
  return answer(c, 400, {
    error: 'invalid_request',
    error_description: 'This login does not wait for that confirmation.',
  });
}

/** 429: over a rate limit; back in `seconds`. */
export function rateLimited(c: Context, seconds: number): Response {
  return answer(
    c,
    429,
    { error: 'slow_down', interval: Math.min(seconds, 600) },
    { 'Retry-After': String(seconds) },
  );
}

/** 400: a poll while another is held, or sooner than `interval`. */
export function tooSoon(c: Context, interval: number): Response {
  return answer(c, 400, { error: 'slow_down', interval });
}

/** 415: a callback that is not JSON, refused unread. */
export function notJson(c: Context): Response {
  return answer(
    c,
    415,
    {
      error: 'unsupported_media_type',
      error_description: 'The callback must be sent as application/json.',
    },
    { Accept: 'application/json' },
  );
}

/** 413: a callback body over its cap. */
export function tooLarge(c: Context): Response {
  return answer(c, 413, { error: 'request_too_large' });
}

/** 400: a callback that is not the Token Server's for this website. */
export function invalidCallback(c: Context): Response {
  return answer(c, 400, { error: 'invalid_request' });
}

/** 204: the callback was taken (as a hint). */
export function callbackTaken(c: Context): Response {
  return c.body(null, 204);
}

/**
 * 503: the browser went away while its poll was held. Nobody reads this answer; an accepted
 * login is left for the browser's next poll.
 */
export function browserGone(c: Context, interval: number): Response {
  return answer(c, 503, { error: 'aborted' }, { 'Retry-After': String(interval) });
}

/**
 * The answer to a request that failed: the browser went away (nothing failed), the login store
 * is full (503 busy, unreported: it is the store's bound doing its work), or anything else (the
 * Token Server down or refusing, the store unavailable or holding what it did not write, a hook
 * that threw): reported to the website, and 503 for the widget to try again.
 */
export function failed(
  c: Context,
  error: unknown,
  options: { interval: number; report: (error: unknown) => void },
): Response {
  if (c.req.raw.signal.aborted) return browserGone(c, options.interval);
  if (error instanceof StoreError && error.code === 'full')
    return answer(
      c,
      503,
      { error: 'busy', error_description: 'Too many logins right now; try again.' },
      { 'Retry-After': '10' },
    );
  options.report(error);
  return answer(
    c,
    503,
    { error: 'unavailable', error_description: 'Login by phone is not available; try again.' },
    { 'Retry-After': '5' },
  );
}

/**
 * JSON that is about one browser's login: never cached. (Hono's `c.json` would set its own
 * Content-Type, without the charset the kit has always sent.)
 */
function answer(
  c: Context,
  status: ContentfulStatusCode,
  body: object,
  headers?: HeadersInit,
): Response {
  const all = new Headers(headers);
  all.set('Content-Type', 'application/json; charset=utf-8');
  all.set('Cache-Control', 'no-store');
  return c.body(JSON.stringify(body), { status, headers: all });
}
