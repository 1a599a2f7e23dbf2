/*
 * A mocked website whose login asks the browser to confirm (status `confirm`): a phone link that
 * compares a code, or a login with proof of presence. It answers as the relying-party kit does:
 * a binding cookie on start that every poll and confirmation must send back, a held poll that
 * answers as soon as the status changes, a confirmation that must be JSON and fit what the login
 * asks, `tries_left` after a wrong code, and the session (`accepted`) once.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import * as v from 'valibot';
import {
  ConfirmRequestSchema,
  LoginStatusResponseSchema,
  type ConfirmKind,
  type LoginStatusResponse,
} from '../../src/protocol/index.js';
import {
  bindingCookie,
  newBindingSecret,
  readBindingSecret,
} from '../../src/mocks/website-binding-cookie.js';

export interface ConfirmWebsiteOptions {
  /** What the login asks once the phone is done. */
  readonly kind: ConfirmKind;
  /** The comparison code (`compare_code`) or the code the phone shows (`enter_code`). */
  readonly code?: string;
  /** Wrong codes allowed before the login is denied. Default 3. */
  readonly tries?: number;
  /** The element's `endpoint`. Default `/otp-login`. */
  readonly endpoint?: string;
  /** `redirect_to` of `accepted`. Default `/home`. */
  readonly redirectTo?: string;
  /** The polls that answer `scanned` before the phone is done. Default 0. */
  readonly scannedPolls?: number;
}

export interface ConfirmWebsite {
  readonly handlers: RequestHandler[];
  /** The bodies of the confirmations received, as sent. */
  readonly confirmations: unknown[];
  /** `content-type` of each confirmation, and whether it carried the binding cookie. */
  readonly confirmationHeaders: { contentType: string | null; bound: boolean }[];
  /** Status requests received. */
  polls: number;
  /** Changes the status every later answer gives, e.g. to `expired`; held polls answer at once. */
  setStatus(answer: LoginStatusResponse): void;
}

const LOGIN_ID = 'confirm-login-1';
/** The longest a poll is held (the kit holds up to 25 s; a test needs less). */
const MAX_HOLD_MS = 5_000;

export function confirmWebsite(options: ConfirmWebsiteOptions): ConfirmWebsite {
  const endpoint = options.endpoint ?? '/otp-login';
  const code = options.code ?? '482193';
  const redirectTo = options.redirectTo ?? '/home';
  let triesLeft = options.tries ?? 3;
  let secret: string | undefined;
  let scannedPolls = options.scannedPolls ?? 0;
  const asking: LoginStatusResponse =
    options.kind === 'compare_code'
      ? { status: 'confirm', confirm: 'compare_code', compare_code: code }
      : { status: 'confirm', confirm: 'enter_code' };
  let current: LoginStatusResponse = asking;
  let lastAnswered: LoginStatusResponse | undefined;
  let changed: () => void = () => undefined;
  let change = new Promise<void>((resolve) => (changed = resolve));
  const answered = new Set<string>();

  const website: ConfirmWebsite = {
    handlers: [],
    confirmations: [],
    confirmationHeaders: [],
    polls: 0,
    setStatus(answer) {
      v.parse(LoginStatusResponseSchema, answer);
      current = answer;
      changed();
      change = new Promise<void>((resolve) => (changed = resolve));
    },
  };

  /** The answer, checked against the contract; `accepted` only once, then 404. */
  const answer = (body: LoginStatusResponse) => {
    if (answered.has('accepted')) return HttpResponse.json({ error: 'not_found' }, { status: 404 });
    if (body.status === 'accepted') answered.add('accepted');
    lastAnswered = body;
    return HttpResponse.json(v.parse(LoginStatusResponseSchema, body), {
      headers: { 'cache-control': 'no-store' },
    });
  };

  const isBound = (cookies: Record<string, string>, url: string) =>
    secret !== undefined && readBindingSecret(cookies, url) === secret;

  website.handlers.push(
    http.post(endpoint, ({ request }) => {
      secret = newBindingSecret();
      lastAnswered = undefined;
      return HttpResponse.json(
        { id: LOGIN_ID, qr: 'https://app.example/#otp=1', expires_in: 60, interval: 0 },
        { status: 201, headers: { 'set-cookie': bindingCookie(secret, request.url) } },
      );
    }),

    http.get(`${endpoint}/${LOGIN_ID}`, async ({ request, cookies }) => {
      website.polls += 1;
      if (!isBound(cookies, request.url))
        return HttpResponse.json({ error: 'not_found' }, { status: 404 });
      if (scannedPolls > 0) {
        scannedPolls -= 1;
        return answer({ status: 'scanned' });
      }
      // Held while nothing changed since the last answer, as the kit's long-poll.
      if (lastAnswered === current) {
        await Promise.race([change, new Promise((resolve) => setTimeout(resolve, MAX_HOLD_MS))]);
      }
      return answer(current);
    }),

    http.post(`${endpoint}/${LOGIN_ID}/confirm`, async ({ request, cookies }) => {
      const bound = isBound(cookies, request.url);
      website.confirmationHeaders.push({ contentType: request.headers.get('content-type'), bound });
      const body: unknown = await request.json();
      website.confirmations.push(body);
      if (!bound) return HttpResponse.json({ error: 'not_found' }, { status: 404 });
      const parsed = v.safeParse(ConfirmRequestSchema, body);
      if (
        !parsed.success ||
        current.status !== 'confirm' ||
        'code' in parsed.output !== (current.confirm === 'enter_code')
      )
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      const confirmation = parsed.output;
      if ('matches' in confirmation) {
        website.setStatus(
          confirmation.matches
            ? { status: 'accepted', redirect_to: redirectTo }
            : { status: 'denied' },
        );
      } else if (confirmation.code === code) {
        website.setStatus({ status: 'accepted', redirect_to: redirectTo });
      } else {
        triesLeft -= 1;
        website.setStatus(
          triesLeft > 0 ? { ...asking, tries_left: triesLeft } : { status: 'denied' },
        );
      }
      return answer(current);
    }),
  );
  return website;
}
