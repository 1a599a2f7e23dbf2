import { delay, http, HttpResponse, type RequestHandler } from 'msw';
import {
  MAX_STATUS_WAIT_SECONDS,
  type LoginStatus,
  type LoginStatusResponse,
  type SlowDownResponse,
  type StartLoginResponse,
} from '../protocol/index.js';

/**
 * How the mocked website answers `<otp-login-qr>`:
 * - `accept`, `deny`, `expire`: `pending` (then `scanned` from poll `scannedAt`) until poll
 *   `polls`, which answers `accepted` (with `redirect_to`), `denied` or `expired`;
 * - `pending`: nobody ever scans the code;
 * - `slow_down`: every poll before `polls` answers 400 `{error: "slow_down"}`, then `accepted`;
 * - `rate_limited`: every poll before `polls` answers 429 with `Retry-After`, then `accepted`;
 * - `network_error`: every poll before `polls` fails as if offline, then `accepted`;
 * - `offline`: every request fails as if offline, starting a login too.
 */
export type OtpLoginScenario =
  | 'accept'
  | 'deny'
  | 'expire'
  | 'pending'
  | 'slow_down'
  | 'rate_limited'
  | 'network_error'
  | 'offline';

export interface OtpLoginHandlersOptions {
  /** The element's `endpoint`. Default `/otp-login`. */
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
  /** A `same_device_url` to send with every new login. */
  readonly sameDeviceUrl?: string;
  /** `expires_in` of every new login, seconds. Default 60. */
  readonly expiresIn?: number;
  /** `interval` of every new login, seconds. Default 1. */
  readonly interval?: number;
  /** The `interval` sent with `slow_down`; absent means "add 5 seconds" (RFC 8628). */
  readonly slowDownInterval?: number;
  /** `Retry-After` of `rate_limited`, seconds. Default 3. */
  readonly retryAfter?: number;
  /** Hold a `pending` answer for the `wait` the element asks, like a real long-poll. */
  readonly holdPending?: boolean;
}

/**
 * MSW handlers for the website ↔ widget contract, for testing a page that uses `<otp-login-qr>`
 * without a server: `setupWorker(...otpLoginHandlers({ scenario: 'deny' }))`.
 */
export function otpLoginHandlers(options: OtpLoginHandlersOptions = {}): RequestHandler[] {
  const endpoint = options.endpoint ?? '/otp-login';
  const scenario = options.scenario ?? 'accept';
  const finalPoll = options.polls ?? 2;
  const pollsById = new Map<string, number>();
  let logins = 0;

  return [
    http.post(endpoint, () => {
      if (scenario === 'offline') return HttpResponse.error();
      logins += 1;
      const id = `mock-login-${logins}`;
      pollsById.set(id, 0);
      const body: StartLoginResponse = {
        id,
        qr: `https://app.example/#otp=${id}`,
        expires_in: options.expiresIn ?? 60,
        interval: options.interval ?? 1,
        ...(options.code === undefined ? {} : { code: options.code }),
        ...(options.sameDeviceUrl === undefined ? {} : { same_device_url: options.sameDeviceUrl }),
      };
      return HttpResponse.json(body, { status: 201 });
    }),

    http.get(`${endpoint}/:id`, async ({ params, request }) => {
      if (scenario === 'offline') return HttpResponse.error();
      const id = String(params['id']);
      const previous = pollsById.get(id);
      if (previous === undefined) return HttpResponse.json({ error: 'not_found' }, { status: 404 });
      const poll = previous + 1;
      pollsById.set(id, poll);
      const final = poll >= finalPoll;

      if (!final && scenario === 'network_error') return HttpResponse.error();
      if (!final && scenario === 'rate_limited')
        return new HttpResponse(null, {
          status: 429,
          headers: { 'Retry-After': String(options.retryAfter ?? 3) },
        });
      if (!final && scenario === 'slow_down') {
        const body: SlowDownResponse = {
          error: 'slow_down',
          ...(options.slowDownInterval === undefined ? {} : { interval: options.slowDownInterval }),
        };
        return HttpResponse.json(body, { status: 400 });
      }

      const status: LoginStatus =
        final && scenario !== 'pending'
          ? finalStatus(scenario)
          : options.scannedAt !== undefined && poll >= options.scannedAt
            ? 'scanned'
            : 'pending';
      if (status === 'pending' && options.holdPending) {
        const wait = Number(new URL(request.url).searchParams.get('wait') ?? '0');
        await delay(Math.min(Math.max(0, wait), MAX_STATUS_WAIT_SECONDS) * 1000);
      }
      const body: LoginStatusResponse =
        status === 'accepted' ? { status, redirect_to: options.redirectTo ?? '/' } : { status };
      return HttpResponse.json(body);
    }),
  ];
}

function finalStatus(scenario: OtpLoginScenario): LoginStatus {
  if (scenario === 'deny') return 'denied';
  if (scenario === 'expire') return 'expired';
  return 'accepted';
}
