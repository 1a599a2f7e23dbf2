import { networkOf } from '../security/network-prefix.js';
import type { Context } from 'hono';
import { formatAppUrl, type StartLoginResponse } from '../../protocol/index.js';
import { BindingCookie } from './binding-cookie.js';
import type { ClientAddress } from './client-address.js';
import {
  forbidden,
  rateLimited,
  reauthenticationRequired,
  started,
  unauthorized,
} from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import type { FlowBeginning, KitFlow } from './kit-flow.js';
import { secondsOverLimit, type KitRateLimits } from './kit-rate-limits.js';
import type { KitSettings } from './kit-settings.js';
import { newLoginId } from './login-id.js';
import { forgetAtOf } from './login-lifetime.js';
import type { LoginRecord, LoginStore } from './login-store.js';
import { isSameOriginRequest } from './same-origin.js';

/** `POST {path}`: starts a login of `flow` for this browser. */
export type StartHandler = (
  c: Context,
  context: KitRequestContext,
  flow: KitFlow,
) => Promise<Response>;

/**
 * The start, the same for every flow: only from the website's own pages (CSRF), within the rate
 * limit per address, for the flow's user if it has one (and, to link a phone, only after a recent
 * authentication); then the flow asks the Token Server for
 * a code, the login is kept under an id of the kit's own (128 bits, not the transaction id), and
 * the browser gets the QR and the binding cookie that its polls must carry. A browser that has a
 * binding cookie keeps it, so that two tabs can each log in.
 */
export function startHandler(parts: {
  settings: KitSettings;
  store: LoginStore;
  binding: BindingCookie;
  limits: KitRateLimits;
  clientAddress: ClientAddress;
}): StartHandler {
  const { settings, store, binding, limits, clientAddress } = parts;
  return async (c, context, flow) => {
    const request = c.req.raw;
    // CSRF: only this website's own pages may start a login and receive a binding cookie.
    if (!isSameOriginRequest(request, settings.publicOrigin)) return forbidden(c);
    const ip = clientAddress(request, context);
    const over =
      (await secondsOverLimit(limits.startPerIp, ip ?? 'unknown')) ??
      (await secondsOverLimit(
        limits.startPerNetwork,
        (ip === undefined ? null : networkOf(ip)) ?? 'unknown',
      )) ??
      (await secondsOverLimit(limits.startOverall, 'all'));
    if (over !== undefined) return rateLimited(c, over);
    let userId: string | undefined;
    if (flow.userOf) {
      userId = (await flow.userOf(request)) ?? undefined;
      if (userId === undefined) return unauthorized(c);
      // A linked phone logs in for good: a stolen session alone must not be enough to add one.
      if (flow.recentlyAuthenticated && !(await flow.recentlyAuthenticated(userId, request)))
        return reauthenticationRequired(c);
    }
    const secret = binding.read(request) ?? BindingCookie.newSecret();
    const id = newLoginId();
    const now = Date.now();
    const begun = await flow.begin(request, { userId, ip });
    const record: LoginRecord = {
      flow: flow.kind,
      transactionId: begun.transactionId,
      bindingHash: BindingCookie.hash(secret),
      expiresAt: now + begun.timeToLive,
      status: 'pending',
      ...(userId === undefined ? {} : { userId }),
    };
    await store.put(id, record, forgetAtOf(record));
    return started(c, startResponse(id, begun, settings), binding.serialize(secret));
  };
}

/** What the widget is told: the QR's text, how long it lasts, how often to poll. */
function startResponse(
  id: string,
  begun: FlowBeginning,
  settings: Pick<KitSettings, 'appUrl' | 'interval'>,
): StartLoginResponse {
  return {
    id,
    qr: formatAppUrl(settings.appUrl, begun.code),
    expires_in: Math.max(1, Math.min(3600, Math.floor(begun.timeToLive / 1000))),
    interval: settings.interval,
    ...(begun.numberMatchCode === undefined ? {} : { code: begun.numberMatchCode }),
    same_device_url: `${settings.appUrl}#${begun.code}`,
  };
}
