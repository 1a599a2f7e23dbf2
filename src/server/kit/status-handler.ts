import type { Context } from 'hono';
import type { BindingCookie } from './binding-cookie.js';
import type { ClientAddress } from './client-address.js';
import {
  browserGone,
  loggedIn,
  noSuchLogin,
  rateLimited,
  reportStatus,
  tooSoon,
} from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import { KitError } from './kit-errors.js';
import type { KitFlow } from './kit-flow.js';
import { secondsOverLimit, type KitRateLimits } from './kit-rate-limits.js';
import type { KitSettings } from './kit-settings.js';
import { forgetAtOf } from './login-lifetime.js';
import type { LoginRecord, LoginStore } from './login-store.js';
import type { PollPacer } from './poll-pacer.js';

/** `GET {path}/{id}?wait=N`: a poll of login `id` of `flow`. */
export type StatusHandler = (
  c: Context,
  context: KitRequestContext,
  flow: KitFlow,
  id: string,
) => Promise<Response>;

/** The kit's login ids: 128 bits, base64url. */
const LOGIN_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * The poll, the same for every flow. In order: the rate limit per address; the login must exist,
 * be of this flow and be bound to this browser's cookie (else one 404 for every reason); the rate
 * limit per login; the pace of its polls (one held at a time, `interval` apart). Then the flow
 * waits up to `wait` seconds for a change. A new status is recorded and reported; an accepted
 * login is taken from the store (of racing polls, one wins) and the website's hook gives the
 * session, once.
 */
export function statusHandler(parts: {
  settings: KitSettings;
  store: LoginStore;
  binding: BindingCookie;
  limits: KitRateLimits;
  pacer: PollPacer;
  clientAddress: ClientAddress;
}): StatusHandler {
  const { settings, store, binding, limits, pacer, clientAddress } = parts;

  async function answer(c: Context, flow: KitFlow, id: string, record: LoginRecord) {
    const request = c.req.raw;
    const seen = await flow.observe(record, waitOf(request, settings), request.signal);
    if (seen.status !== 'accepted') {
      if (seen.status !== record.status)
        await store.replace(id, { ...record, status: seen.status }, forgetAtOf(record));
      return reportStatus(c, seen.status);
    }
    // A browser that went away would never get its session: leave the login for its next poll.
    if (request.signal.aborted) return browserGone(c, settings.interval);
    // Exactly one poll takes the accepted login; a replay or a racing poll finds nothing.
    const taken = await store.take(id);
    pacer.forget(id);
    if (taken === undefined || seen.userId === undefined) return noSuchLogin(c);
    return loggedIn(c, await flow.conclude(seen.userId, seen, request));
  }

  return async (c, context, flow, id) => {
    const request = c.req.raw;
    const overIp = await secondsOverLimit(
      limits.statusPerIp,
      clientAddress(request, context) ?? 'unknown',
    );
    if (overIp !== undefined) return rateLimited(c, overIp);
    if (!LOGIN_ID.test(id)) return noSuchLogin(c);
    const record = await store.get(id);
    // No cookie, another browser's cookie, another flow's id, or a finished login: one answer.
    if (record?.flow !== flow.kind || !binding.matches(request, record.bindingHash)) {
      // Only a login that is gone loses its pace: an outsider's poll of a live login's id must
      // change nothing about it (it would free a second held poll, or cut the interval short).
      if (record === undefined) pacer.forget(id);
      return noSuchLogin(c);
    }
    const overLogin = await secondsOverLimit(limits.statusPerLogin, id);
    if (overLogin !== undefined) return rateLimited(c, overLogin);
    const done = pacer.admit(id);
    if (done === undefined) return tooSoon(c, settings.interval);
    try {
      return await answer(c, flow, id, record);
    } catch (error) {
      // The Token Server no longer knows the transaction (purged): the login is gone.
      if (!request.signal.aborted && error instanceof KitError && error.status === 404)
        return noSuchLogin(c);
      throw error;
    } finally {
      done();
    }
  };
}

/** The seconds a poll may be held: `?wait=N` (1 to 3 digits), at most `maxWaitSeconds`. */
function waitOf(request: Request, settings: Pick<KitSettings, 'maxWaitSeconds'>): number {
  const raw = new URL(request.url).searchParams.get('wait');
  if (raw === null || !/^[0-9]{1,3}$/.test(raw)) return 0;
  return Math.min(Number(raw), settings.maxWaitSeconds);
}
