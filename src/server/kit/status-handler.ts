import type { Context } from 'hono';
import type { BindingCookie } from './binding-cookie.js';
import type { ClientAddress } from './client-address.js';
import { noSuchLogin, rateLimited, tooSoon } from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import { KitError } from './kit-errors.js';
import type { KitFlow } from './kit-flow.js';
import { secondsOverLimit, type KitRateLimits } from './kit-rate-limits.js';
import type { KitSettings } from './kit-settings.js';
import { isLoginId } from './login-id.js';
import type { SettleLogin } from './login-settlement.js';
import type { LoginStore } from './login-store.js';
import type { PollPacer } from './poll-pacer.js';

/** `GET {path}/{id}?wait=N`: a poll of login `id` of `flow`. */
export type StatusHandler = (
  c: Context,
  context: KitRequestContext,
  flow: KitFlow,
  id: string,
) => Promise<Response>;

/**
 * The poll, the same for every flow. In order: the rate limit per address; the login must exist,
 * be of this flow and be bound to this browser's cookie (else one 404 for every reason); the rate
 * limit per login; the pace of its polls (one held at a time, `interval` apart). Then the flow
 * waits up to `wait` seconds for a change, and `settle` records and answers it (an accepted login
 * logs the browser in once).
 */
export function statusHandler(parts: {
  settings: KitSettings;
  store: LoginStore;
  binding: BindingCookie;
  limits: KitRateLimits;
  pacer: PollPacer;
  clientAddress: ClientAddress;
  settle: SettleLogin;
}): StatusHandler {
  const { settings, store, binding, limits, pacer, clientAddress, settle } = parts;
  return async (c, context, flow, id) => {
    const request = c.req.raw;
    const ip = clientAddress(request, context);
    const overIp = await secondsOverLimit(limits.statusPerIp, ip ?? 'unknown');
    if (overIp !== undefined) return rateLimited(c, overIp);
    if (!isLoginId(id)) return noSuchLogin(c);
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
      const seen = await flow.observe(record, waitOf(request, settings), request.signal);
      return await settle(c, flow, id, record, seen, { userId: record.userId, ip }, 'poll');
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
