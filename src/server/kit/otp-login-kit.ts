import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import {
  decodeAuthenticationPayload,
  decodeEnrollmentPayload,
  formatAppUrl,
  isDisplayName,
  MAX_STATUS_WAIT_SECONDS,
  type LoginStatus,
  type LoginStatusResponse,
  type StartLoginResponse,
} from '../../protocol/index.js';
import { addressBehindProxies, isTrustedProxyCount } from '../security/forwarded-for.js';
import { normalizeIp } from '../security/ip-address.js';
import { BindingCookie } from './binding-cookie.js';
import { loadBrowserBundle } from './browser-bundle.js';
import { readTextUpTo } from './bounded-body.js';
import type {
  KitRateLimit,
  KitRequestContext,
  LoginOutcome,
  OtpLoginKitConfig,
  UserOfRequest,
} from './kit-config.js';
import { KitError } from './kit-errors.js';
import {
  MemoryLoginStore,
  type KitRateCounters,
  type LoginFlow,
  type LoginRecord,
  type LoginStore,
} from './login-store.js';
import {
  RelyingPartyClient,
  type LinkedDevice,
  type TransactionResult,
} from './relying-party-client.js';
import { ResultWaitBatcher } from './result-wait-batcher.js';
import { isSameOriginRequest } from './same-origin.js';
import { TransactionWaker } from './transaction-waker.js';

/** The website side of QR login, as Web-standard handlers. Mount it with an adapter. */
export interface OtpLoginKit {
  /** Handles a request for one of the kit's paths; other paths get a JSON 404. */
  fetch(request: Request, context?: KitRequestContext): Promise<Response>;
  /** True when `request` is for one of the kit's paths (adapters pass others on). */
  handles(request: Request): boolean;
  /** The Token Server client, for the website's own calls (list and revoke phones). */
  readonly relyingParty: RelyingPartyClient;
  /**
   * With `browserBundle`: the URL path of the element's script with its version,
   * `{path}?v={version}`, for pages rendered on the server (cached for a year). Else undefined.
   */
  readonly browserBundleUrl: string | undefined;
}

const LOGIN_ID = /^[A-Za-z0-9_-]{22}$/;
/** A browser may send its next poll this early (timer rounding) without a slow_down. */
const INTERVAL_TOLERANCE_MS = 200;
/** Final results stay readable this long after the login expires. */
const KEEP_AFTER_EXPIRY_MS = 60_000;
const CALLBACK_BODY_LIMIT = 4096;

const NOT_FOUND_BODY = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
};

interface Flow {
  kind: LoginFlow;
  path: string;
  userId?: UserOfRequest;
}

/**
 * Creates the relying-party kit: start, status (long-poll) and callback handlers for login,
 * second factor and enrollment, bound to the browser that started them by an HttpOnly cookie.
 */
export function createOtpLoginKit(config: OtpLoginKitConfig): OtpLoginKit {
  const publicOrigin = originOf(config.publicOrigin, 'publicOrigin');
  const secure = publicOrigin.startsWith('https:');
  const appUrl = new URL(config.appUrl).href;
  formatAppUrl(appUrl, '0'); // throws a TypeError for an app URL that phones would refuse
  const callbackPath = new URL(config.callbackUri).pathname;
  const interval = config.interval ?? 2;
  const maxWait = Math.min(config.maxWaitSeconds ?? 25, MAX_STATUS_WAIT_SECONDS);
  const upstreamPollMs = config.upstreamPollMs ?? 1000;
  if (!(interval >= 0) || !(maxWait >= 0) || !(upstreamPollMs >= 50))
    throw new TypeError('interval, maxWaitSeconds and upstreamPollMs must be positive numbers.');
  const trustedProxies = config.trustedProxies ?? 0;
  if (!isTrustedProxyCount(trustedProxies))
    throw new TypeError(
      'trustedProxies must be the number of your own reverse proxies in front of the website, 0 to 10.',
    );
  const bundle =
    config.browserBundle === undefined
      ? undefined
      : loadBrowserBundle(trimPath(config.browserBundle.path), config.browserBundle.file);
  const store: LoginStore = config.store ?? new MemoryLoginStore();
  const binding = new BindingCookie(secure, config.cookie);
  const client = new RelyingPartyClient({
    baseUrl: config.tokenServer.url,
    clientId: config.tokenServer.clientId,
    clientSecret: config.tokenServer.clientSecret,
    ...(config.tokenServer.longPoll ? { longPoll: config.tokenServer.longPoll } : {}),
    ...(config.tokenServer.fetch ? { fetch: config.tokenServer.fetch } : {}),
  });
  const waker = new TransactionWaker();
  const limits = config.rateLimits ?? {};
  const counters = store.sharedRateCounters ?? countInProcess;
  const limiter = (name: string, limit: KitRateLimit) =>
    counters({ name, points: limit.points, durationSeconds: limit.durationSeconds });
  const startPerIp = limiter('start', limits.startPerIp ?? { points: 30, durationSeconds: 60 });
  const statusPerIp = limiter('ip', limits.statusPerIp ?? { points: 300, durationSeconds: 60 });
  const statusPerLogin = limiter(
    'login',
    limits.statusPerLogin ?? { points: 60, durationSeconds: 60 },
  );
  const callbackPerIp = limiter('cb', limits.callbackPerIp ?? { points: 600, durationSeconds: 60 });
  const report =
    config.onError ??
    ((error: unknown) => {
      console.error(error);
    });
  const batcher = new ResultWaitBatcher(client, { waitSeconds: maxWait, onError: report });
  /** Per login: a poll in progress, and the earliest time the next may come. */
  const gates = new Map<string, { busy: boolean; nextAt: number }>();

  const flows: Flow[] = [];
  if (config.login) flows.push({ kind: 'login', path: trimPath(config.login.path) });
  if (config.secondFactor)
    flows.push({
      kind: 'second_factor',
      path: trimPath(config.secondFactor.path),
      userId: config.secondFactor.userId,
    });
  if (config.enrollment)
    flows.push({
      kind: 'enrollment',
      path: trimPath(config.enrollment.path),
      userId: config.enrollment.userId,
    });
  if (flows.length === 0)
    throw new TypeError('Configure at least one of login, secondFactor, enrollment.');

  function ipOf(request: Request, context: KitRequestContext): string | undefined {
    const ip = config.clientIp ? config.clientIp(request, context) : browserIp(request, context);
    return ip !== undefined && isIP(ip) !== 0 ? ip : undefined;
  }

  /** The adapter's address, or the one the outermost of the website's own proxies saw. */
  function browserIp(request: Request, context: KitRequestContext): string | undefined {
    if (context.resolvedByPlatform === true) return context.clientIp;
    const forwarded = addressBehindProxies(request.headers.get('x-forwarded-for'), trustedProxies);
    return forwarded === undefined ? context.clientIp : normalizeIp(forwarded);
  }

  function route(
    request: Request,
  ): { handler: 'start' | 'status'; flow: Flow; id?: string } | 'callback' | 'bundle' | undefined {
    const { pathname } = new URL(request.url);
    if (
      bundle !== undefined &&
      pathname === bundle.path &&
      (request.method === 'GET' || request.method === 'HEAD')
    )
      return 'bundle';
    if (request.method === 'POST' && pathname === callbackPath) return 'callback';
    for (const flow of flows) {
      if (request.method === 'POST' && pathname === flow.path) return { handler: 'start', flow };
      if (request.method === 'GET' && pathname.startsWith(`${flow.path}/`)) {
        const id = pathname.slice(flow.path.length + 1);
        if (!id.includes('/')) return { handler: 'status', flow, id };
      }
    }
    return undefined;
  }

  async function start(
    flow: Flow,
    request: Request,
    context: KitRequestContext,
  ): Promise<Response> {
    // CSRF: only this website's own pages may start a login and receive a binding cookie.
    if (!isSameOriginRequest(request, publicOrigin))
      return json(403, {
        error: 'forbidden',
        error_description: 'This request did not come from this website.',
      });
    const ip = ipOf(request, context);
    const limited = await consume(startPerIp, ip ?? 'unknown');
    if (limited) return limited;
    let userId: string | undefined;
    if (flow.userId) {
      userId = (await flow.userId(request)) ?? undefined;
      if (userId === undefined)
        return json(401, { error: 'unauthorized', error_description: 'Log in first.' });
    }
    const secret = binding.read(request) ?? BindingCookie.newSecret();
    const id = randomBytes(16).toString('base64url');
    const now = Date.now();
    let record: LoginRecord;
    let body: StartLoginResponse;
    if (flow.kind === 'enrollment') {
      const user = userId ?? '';
      const known = (await client.listDevices(user)).map((device) => device.deviceId);
      const named = await config.enrollment?.displayName?.(user, request);
      // The site's bug must not stop the user linking: it hears of it, the phone shows the id.
      const displayName = named === undefined || isDisplayName(named) ? named : undefined;
      if (named !== displayName)
        report(
          new TypeError(
            'enrollment.displayName returned a name the phone must not show (see isDisplayName); the phone is linked without it.',
          ),
        );
      const enrollment = await client.startEnrollment(user, displayName);
      decodeEnrollmentPayload(enrollment.code);
      record = {
        flow: flow.kind,
        transactionId: enrollment.enrollmentId,
        bindingHash: BindingCookie.hash(secret),
        expiresAt: now + enrollment.timeToLive,
        status: 'pending',
        userId: user,
        knownDeviceIds: known,
      };
      body = contract(id, enrollment.code, enrollment.timeToLive);
    } else {
      const type = flow.kind === 'login' ? config.login : config.secondFactor;
      const userAgent = request.headers.get('user-agent')?.slice(0, 512);
      const language = languageOf(request.headers.get('accept-language'));
      const started = await client.initialize({
        type: type?.type ?? '',
        callbackUri: config.callbackUri,
        ...(type?.message === undefined ? {} : { message: type.message }),
        ...(ip === undefined ? {} : { ipAddress: ip }),
        ...(userAgent ? { userAgent } : {}),
        ...(language === undefined ? {} : { languageCode: language }),
        ...(userId === undefined ? {} : { userId }),
      });
      decodeAuthenticationPayload(started.otp);
      record = {
        flow: flow.kind,
        transactionId: started.transactionId,
        bindingHash: BindingCookie.hash(secret),
        expiresAt: now + started.timeToLive,
        status: 'pending',
        ...(userId === undefined ? {} : { userId }),
      };
      body = contract(id, started.otp, started.timeToLive, started.numberMatchCode);
    }
    await store.put(id, record, record.expiresAt + KEEP_AFTER_EXPIRY_MS);
    return json(201, body, { 'Set-Cookie': binding.serialize(secret) });
  }

  function contract(id: string, code: string, timeToLive: number, numberMatch?: string) {
    return {
      id,
      qr: formatAppUrl(appUrl, code),
      expires_in: Math.max(1, Math.min(3600, Math.floor(timeToLive / 1000))),
      interval,
      ...(numberMatch === undefined ? {} : { code: numberMatch }),
      same_device_url: `${appUrl}#${code}`,
    } satisfies StartLoginResponse;
  }

  async function status(
    flow: Flow,
    id: string,
    request: Request,
    context: KitRequestContext,
  ): Promise<Response> {
    const limited = await consume(statusPerIp, ipOf(request, context) ?? 'unknown');
    if (limited) return limited;
    if (!LOGIN_ID.test(id)) return json(404, NOT_FOUND_BODY);
    const record = await store.get(id);
    // No cookie, another browser's cookie, another flow's id, or a finished login: one answer.
    if (record?.flow !== flow.kind || !binding.matches(request, record.bindingHash)) {
      gates.delete(id);
      return json(404, NOT_FOUND_BODY);
    }
    const overLimit = await consume(statusPerLogin, id);
    if (overLimit) return overLimit;
    const gate = gates.get(id) ?? { busy: false, nextAt: 0 };
    if (gate.busy || Date.now() < gate.nextAt - INTERVAL_TOLERANCE_MS)
      return json(400, { error: 'slow_down', interval });
    // `interval` runs from the start of a poll, as the widget counts it: a held poll counts toward it.
    gate.busy = true;
    gate.nextAt = Date.now() + interval * 1000;
    gates.set(id, gate);
    sweepGates();
    try {
      return await observeAndAnswer(flow, id, record, waitOf(request), request);
    } finally {
      gate.busy = false;
    }
  }

  async function observeAndAnswer(
    flow: Flow,
    id: string,
    record: LoginRecord,
    wait: number,
    request: Request,
  ): Promise<Response> {
    const seen: { status: LoginStatus; userId?: string; device?: LinkedDevice } =
      flow.kind === 'enrollment'
        ? await observeEnrollment(record, wait, request.signal)
        : await observeLogin(record, wait, request.signal);
    let current: LoginStatus = seen.status;
    let userId = seen.userId;
    if (current === 'accepted' && flow.kind === 'second_factor' && userId !== record.userId) {
      current = 'denied'; // a second factor answered by another user's phone logs nobody in
      userId = undefined;
    }
    if (current !== 'accepted') {
      if (current !== record.status) {
        await store.replace(
          id,
          { ...record, status: current },
          record.expiresAt + KEEP_AFTER_EXPIRY_MS,
        );
      }
      const body: LoginStatusResponse = { status: current };
      return json(200, body);
    }
    // A browser that went away would never get its session: leave the login for its next poll.
    if (request.signal.aborted)
      return json(503, { error: 'aborted' }, { 'Retry-After': String(interval) });
    // Exactly one poll takes the accepted login; a replay or a racing poll finds nothing.
    const taken = await store.take(id);
    gates.delete(id);
    if (taken === undefined || userId === undefined) return json(404, NOT_FOUND_BODY);
    let outcome: LoginOutcome;
    if (flow.kind === 'enrollment') {
      const hook = config.enrollment?.onEnrolled;
      outcome =
        hook && seen.device
          ? await hook(userId, seen.device, request)
          : { redirectTo: config.enrollment?.redirectTo ?? '/' };
    } else {
      const hook = flow.kind === 'login' ? config.login?.onLogin : config.secondFactor?.onLogin;
      if (!hook) throw new TypeError('No onLogin hook.');
      outcome = await hook(userId, request);
    }
    const headers = new Headers(outcome.headers);
    for (const cookie of outcome.cookies ?? []) headers.append('Set-Cookie', cookie);
    const body: LoginStatusResponse = { status: 'accepted', redirect_to: outcome.redirectTo };
    return json(200, body, headers);
  }

  async function observeLogin(
    record: LoginRecord,
    wait: number,
    signal: AbortSignal,
  ): Promise<{ status: LoginStatus; userId?: string }> {
    const deadline = performance.now() + wait * 1000;
    if (client.longPollMode === 'auto' && batcher.available && wait >= 1) {
      const outcome = await batcher.wait(record.transactionId, record.status, wait * 1000, signal);
      if (outcome.kind === 'unchanged') return { status: record.status };
      if (outcome.kind === 'changed') return observed(outcome.result);
      // read-alone: the batch could not tell; this login's own read below says what it is.
    }
    for (;;) {
      // Whole seconds left (rounded up from 0.9 s: time already spent in this handler).
      const waitSeconds = Math.floor((deadline - performance.now() + 100) / 1000);
      const longPoll = client.supportsLongPoll !== false && waitSeconds >= 1;
      const result = await client.result(record.transactionId, {
        wait: longPoll ? waitSeconds : 0,
        knownStatus: record.status,
        expiresAt: record.expiresAt,
        signal,
      });
      const changed = result.status !== record.status;
      const done =
        changed ||
        signal.aborted ||
        (longPoll && client.supportsLongPoll === true) ||
        deadline - performance.now() < 50;
      if (done) return observed(result);
      // No long-poll on this server: read again soon, or at once when the callback arrives.
      const reason = await waker.wait(
        record.transactionId,
        Math.min(upstreamPollMs, deadline - performance.now()),
        signal,
      );
      if (reason === 'aborted') return { status: result.status };
    }
  }

  async function observeEnrollment(
    record: LoginRecord,
    wait: number,
    signal: AbortSignal,
  ): Promise<{ status: LoginStatus; userId?: string; device?: LinkedDevice }> {
    const deadline = performance.now() + wait * 1000;
    const known = new Set(record.knownDeviceIds ?? []);
    const userId = record.userId ?? '';
    for (;;) {
      const devices = await client.listDevices(userId, signal);
      const linked = devices.find(
        (device) => !known.has(device.deviceId) && device.revokedAt === null,
      );
      if (linked) return { status: 'accepted', userId, device: linked };
      if (Date.now() >= record.expiresAt) return { status: 'expired' };
      const remaining = deadline - performance.now();
      if (remaining < 50 || signal.aborted) return { status: 'pending' };
      const reason = await waker.wait(
        record.transactionId,
        Math.min(upstreamPollMs, remaining),
        signal,
      );
      if (reason === 'aborted') return { status: 'pending' };
    }
  }

  async function callback(request: Request, context: KitRequestContext): Promise<Response> {
    const limited = await consume(callbackPerIp, ipOf(request, context) ?? 'unknown');
    if (limited) return limited;
    // The Token Server sends JSON. Anything else (a cross-site form can post text/plain,
    // urlencoded or multipart without a preflight) is refused unread, and wakes nothing.
    if (!isJson(request.headers.get('content-type')))
      return json(
        415,
        {
          error: 'unsupported_media_type',
          error_description: 'The callback must be sent as application/json.',
        },
        { Accept: 'application/json' },
      );
    const text = await readTextUpTo(request, CALLBACK_BODY_LIMIT);
    if (text === undefined) return json(413, { error: 'request_too_large' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const fields =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const transactionId = fields['transaction_id'];
    if (
      fields['callback_uri'] !== config.callbackUri ||
      typeof transactionId !== 'string' ||
      !/^[A-Za-z0-9_-]{1,128}$/.test(transactionId)
    )
      return json(400, { error: 'invalid_request' });
    // Unsigned, so only a hint: the waiting polls read the result from the Token Server.
    waker.wake(transactionId);
    return new Response(null, { status: 204 });
  }

  async function consume(
    rateLimiter: RateLimiterAbstract,
    key: string,
  ): Promise<Response | undefined> {
    try {
      await rateLimiter.consume(key);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      return json(
        429,
        { error: 'slow_down', interval: Math.min(seconds, 600) },
        { 'Retry-After': String(seconds) },
      );
    }
  }

  function sweepGates(): void {
    if (gates.size < 10_000) return;
    const now = Date.now();
    for (const [id, gate] of gates)
      if (!gate.busy && gate.nextAt < now - KEEP_AFTER_EXPIRY_MS) gates.delete(id);
  }

  function waitOf(request: Request): number {
    const raw = new URL(request.url).searchParams.get('wait');
    if (raw === null || !/^[0-9]{1,3}$/.test(raw)) return 0;
    return Math.min(Number(raw), maxWait);
  }

  return {
    relyingParty: client,
    browserBundleUrl: bundle?.url,
    handles: (request) => route(request) !== undefined,
    async fetch(request, context = {}) {
      const target = route(request);
      try {
        if (target === undefined) return json(404, { error: 'not_found' });
        if (target === 'bundle') return bundle?.serve(request) ?? json(404, { error: 'not_found' });
        if (target === 'callback') return await callback(request, context);
        if (target.handler === 'start') return await start(target.flow, request, context);
        return await status(target.flow, target.id ?? '', request, context);
      } catch (error) {
        // The browser went away during a held poll: nobody reads this answer, and nothing failed.
        if (request.signal.aborted)
          return json(503, { error: 'aborted' }, { 'Retry-After': String(interval) });
        // The Token Server no longer knows the transaction (purged): the login is gone.
        if (error instanceof KitError && error.status === 404 && isStatus(target))
          return json(404, NOT_FOUND_BODY);
        if (error instanceof KitError && error.code === 'store_full')
          return json(
            503,
            { error: 'busy', error_description: 'Too many logins right now; try again.' },
            { 'Retry-After': '10' },
          );
        report(error);
        return json(
          503,
          {
            error: 'unavailable',
            error_description: 'Login by phone is not available; try again.',
          },
          { 'Retry-After': '5' },
        );
      }
    },
  };
}

/** A read result as a status poll reports it: the user only once the login is authenticated. */
function observed(result: TransactionResult): { status: LoginStatus; userId?: string } {
  return {
    status: result.status,
    ...(result.isAuthenticated && result.userId !== null ? { userId: result.userId } : {}),
  };
}

function isStatus(target: unknown): boolean {
  return typeof target === 'object' && target !== null && 'handler' in target
    ? target.handler === 'status'
    : false;
}

/** The kit's rate limits counted in this process, for a store that shares none. */
const countInProcess: KitRateCounters = ({ name, points, durationSeconds }) =>
  new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix: name });

function json(status: number, body: unknown, headers?: HeadersInit): Response {
  const all = new Headers(headers);
  all.set('Content-Type', 'application/json; charset=utf-8');
  all.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: all });
}

function originOf(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${field} must be an absolute URL.`);
  }
  return url.origin;
}

function trimPath(path: string): string {
  if (!path.startsWith('/') || path.includes('?') || path.includes('#'))
    throw new TypeError(`A kit path must start with "/": ${path}`);
  return path.replace(/\/+$/, '') || '/';
}

/** True for `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The first language tag of Accept-Language, in the `xx` or `xx-YY` form the API takes. */
function languageOf(header: string | null): string | undefined {
  const first = header?.split(',')[0]?.split(';')[0]?.trim();
  const match = first === undefined ? null : /^([a-zA-Z]{2})(?:-([a-zA-Z]{2}))?$/.exec(first);
  if (match === null) return undefined;
  const [, language = '', region] = match;
  return region === undefined
    ? language.toLowerCase()
    : `${language.toLowerCase()}-${region.toUpperCase()}`;
}
