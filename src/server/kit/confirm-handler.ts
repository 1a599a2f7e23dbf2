import type { Context } from 'hono';
import {
  CONFIRM_REQUEST_MAX_BYTES,
  readConfirmRequest,
  type ConfirmKind,
  type ConfirmRequest,
} from '../../protocol/index.js';
import { readTextUpTo } from '../security/bounded-body.js';
import type { BindingCookie } from './binding-cookie.js';
import type { ClientAddress } from './client-address.js';
import { forbidden, invalidConfirmation, noSuchLogin, rateLimited } from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import { KitError } from './kit-errors.js';
import type { KitFlow, Observation } from './kit-flow.js';
import { secondsOverLimit, type KitRateLimits } from './kit-rate-limits.js';
import type { KitSettings } from './kit-settings.js';
import { isLoginId } from './login-id.js';
import type { SettleLogin } from './login-settlement.js';
import { forgetAtOf } from './login-lifetime.js';
import type { LoginStore } from './login-store.js';
import { isSameOriginRequest } from './same-origin.js';

/** `POST {path}/{id}/confirm`: the browser's confirmation of login `id` of `flow`. */
export type ConfirmHandler = (
  c: Context,
  context: KitRequestContext,
  flow: KitFlow,
  id: string,
) => Promise<Response>;

/**
 * The confirmation, the same for every flow. In order: only from the website's own pages (CSRF:
 * a confirmation logs in, or links a phone); the rate limit per address; the login must exist, be
 * of this flow and be bound to this browser's cookie (else the poll's one 404); the rate limit per
 * login; a JSON body within its cap that fits what the login waits for (a code for a login's
 * proof of presence, `matches` for a link), and only while its status is `confirm`, else 400
 * `invalid_request` and nothing changes. Then the flow gives it to the Token Server, and `settle`
 * answers with the status it leaves: accepted (the session, once), still `confirm` with fewer
 * tries, or denied.
 *
 * The poll's pace does not apply: the page may hold a poll while its user types the code.
 */
export function confirmHandler(parts: {
  settings: KitSettings;
  store: LoginStore;
  binding: BindingCookie;
  limits: KitRateLimits;
  clientAddress: ClientAddress;
  settle: SettleLogin;
}): ConfirmHandler {
  const { settings, store, binding, limits, clientAddress, settle } = parts;
  return async (c, context, flow, id) => {
    const request = c.req.raw;
    if (!isSameOriginRequest(request, settings.publicOrigin)) return forbidden(c);
    const ip = clientAddress(request, context);
    if (!isLoginId(id)) return noSuchLogin(c);
    const record = await store.get(id);
    // An outsider's confirmation learns nothing and changes nothing, as an outsider's poll.
    if (record?.flow !== flow.kind || !binding.matches(request, record.bindingHash))
      return noSuchLogin(c);
    // Counted only for a browser with this login's cookie: a neighbour behind the same address
    // cannot use up the confirmations of everyone there with made-up ids.
    const overIp = await secondsOverLimit(limits.confirmPerIp, ip ?? 'unknown');
    if (overIp !== undefined) return rateLimited(c, overIp);
    // A link or a second factor is the user's who started it: not of whoever uses this browser
    // now (a logout, another sign-in since).
    if (flow.userOf !== undefined && (await flow.userOf(request)) !== (record.userId ?? null))
      return noSuchLogin(c);
    const overLogin = await secondsOverLimit(limits.confirmPerLogin, id);
    if (overLogin !== undefined) return rateLimited(c, overLogin);
    const confirmation = await confirmationOf(request);
    if (
      confirmation === undefined ||
      record.status !== 'confirm' ||
      kindOf(confirmation) !== flow.confirmKind
    )
      return invalidConfirmation(c);
    const who = { userId: record.userId, ip };
    if (!(await markConfirming(store, id))) return noSuchLogin(c);
    let seen: Observation;
    try {
      seen = await flow.confirm(record, confirmation, request, who);
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'token_server_refused') throw error;
      // The Token Server no longer knows the login (purged): it is gone.
      if (error.status === 404) return noSuchLogin(c);
      // It no longer waits for a confirmation: a racing one came first, or the time ran out.
      // Where the login stands now is the answer (a racing one that logged in takes it first).
      seen = await flow.observe(record, 0, request.signal);
    }
    return settle(c, flow, id, record, seen, who, 'confirmation');
  };
}

/**
 * Marks login `id` as being confirmed, on the login as it is now (the body may have been slow to
 * come, and a poll may have recorded news since); false when the login is gone. The page aborts
 * its held poll as it sends a confirmation, but the website may not have noticed yet when the
 * Token Server's change wakes that poll: the mark keeps the poll from taking the session that
 * only the confirmation's answer reaches the browser with (login-settlement.ts).
 */
async function markConfirming(store: LoginStore, id: string): Promise<boolean> {
  const current = await store.get(id);
  if (current === undefined) return false;
  await store.replace(
    id,
    { ...current, confirmingUntil: Date.now() + CONFIRMING_MS },
    forgetAtOf(current),
  );
  return true;
}

/**
 * How long a confirmation's mark holds polls off its login: longer than a confirmation takes,
 * short enough that a poll gets the session if the confirmation's answer was lost on the way.
 */
const CONFIRMING_MS = 15_000;

/** The confirmation in a JSON body within its cap; undefined for anything else. */
async function confirmationOf(request: Request): Promise<ConfirmRequest | undefined> {
  const text = await readTextUpTo(request, CONFIRM_REQUEST_MAX_BYTES);
  return text === undefined
    ? undefined
    : readConfirmRequest(request.headers.get('content-type'), text);
}

function kindOf(confirmation: ConfirmRequest): ConfirmKind {
  return 'code' in confirmation ? 'enter_code' : 'compare_code';
}
