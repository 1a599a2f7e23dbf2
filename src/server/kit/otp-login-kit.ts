import { countInProcess } from '../security/rate-counters.js';
import { BindingCookie } from './binding-cookie.js';
import { loadBrowserBundle } from './browser-bundle.js';
import { callbackHandler } from './callback-handler.js';
import { clientAddress } from './client-address.js';
import { confirmHandler } from './confirm-handler.js';
import { enrollmentFlow } from './enrollment-flow.js';
import { kitApp } from './kit-app.js';
import type { KitRequestContext, OtpLoginKitConfig } from './kit-config.js';
import type { KitFlow } from './kit-flow.js';
import { kitRateLimits } from './kit-rate-limits.js';
import { kitPath, kitSettings } from './kit-settings.js';
import { loginFlow } from './login-flow.js';
import { loginSettlement } from './login-settlement.js';
import { MemoryLoginStore, type LoginStore } from './login-store.js';
import { phoneLinkEvents } from './phone-link-events.js';
import { PollPacer } from './poll-pacer.js';
import { RelyingPartyClient } from './relying-party-client.js';
import { ResultWaitBatcher } from './result-wait-batcher.js';
import { revokePhone, type RevokePhone } from './revoke-phone.js';
import { secondFactorFlow } from './second-factor-flow.js';
import { startHandler } from './start-handler.js';
import { statusHandler } from './status-handler.js';
import { transactionObserver } from './transaction-observer.js';
import { TransactionWaker } from './transaction-waker.js';

/** The website side of QR login, as Web-standard handlers. Mount it with an adapter. */
export interface OtpLoginKit {
  /** Handles a request for one of the kit's paths; other paths get a JSON 404. */
  fetch(request: Request, context?: KitRequestContext): Promise<Response>;
  /** True when `request` is for one of the kit's paths (adapters pass others on). */
  handles(request: Request): boolean;
  /**
   * The Token Server client, for the website's own calls (list phones). Revoke with
   * `revokePhone`, which checks the phone is the user's and reports it.
   */
  readonly relyingParty: RelyingPartyClient;
  /**
   * Revokes phone `deviceId` of `userId` and fires `onSecurityEvent`'s `phone-revoked` (with the
   * address and User-Agent of `request`, the browser that asked). A phone that is not the user's,
   * or no longer linked, is a `KitError` `phone_not_found`, and nothing changes.
   */
  readonly revokePhone: RevokePhone;
  /**
   * With `browserBundle`: the URL path of the element's script with its version,
   * `{path}?v={version}`, for pages rendered on the server (cached for a year). Else undefined.
   */
  readonly browserBundleUrl: string | undefined;
}

/**
 * Creates the relying-party kit: start, status (long-poll), confirm and callback handlers for
 * login, second factor and enrollment, bound to the browser that started them by an HttpOnly
 * cookie.
 * This puts the parts together; each is a file of its own (see docs/website-kit.md).
 */
export function createOtpLoginKit(config: OtpLoginKitConfig): OtpLoginKit {
  const settings = kitSettings(config);
  if (
    config.enrollment !== undefined &&
    typeof config.enrollment.recentlyAuthenticated !== 'function'
  )
    throw new TypeError(
      'enrollment.recentlyAuthenticated is required: pass (userId, request) => boolean, true only when the user signed in (or entered the password again) in the last few minutes. A linked phone logs in for good, so a stolen session must not be enough to link one.',
    );
  const bundle =
    config.browserBundle === undefined
      ? undefined
      : loadBrowserBundle(kitPath(config.browserBundle.path), config.browserBundle.file);
  const store: LoginStore = config.store ?? new MemoryLoginStore();
  const binding = new BindingCookie(settings.secure, config.cookie);
  const client = new RelyingPartyClient({
    baseUrl: config.tokenServer.url,
    clientId: config.tokenServer.clientId,
    clientSecret: config.tokenServer.clientSecret,
    ...(config.tokenServer.longPoll ? { longPoll: config.tokenServer.longPoll } : {}),
    ...(config.tokenServer.fetch ? { fetch: config.tokenServer.fetch } : {}),
  });
  const waker = new TransactionWaker();
  const limits = kitRateLimits(config.rateLimits, store.sharedRateCounters ?? countInProcess);
  const batcher = new ResultWaitBatcher(client, {
    waitSeconds: settings.maxWaitSeconds,
    onError: settings.report,
  });
  const observe = transactionObserver({
    client,
    batcher,
    waker,
    upstreamPollMs: settings.upstreamPollMs,
  });
  const callbackUri = settings.callbackUri;
  const events = phoneLinkEvents(config.onSecurityEvent, settings.report);
  const address = clientAddress(config.clientIp, settings.trustedProxies);

  const flows: KitFlow[] = [];
  if (config.login)
    flows.push(
      loginFlow(
        { ...config.login, path: kitPath(config.login.path) },
        { client, callbackUri, observe },
      ),
    );
  if (config.secondFactor)
    flows.push(
      secondFactorFlow(
        { ...config.secondFactor, path: kitPath(config.secondFactor.path) },
        { client, callbackUri, observe },
      ),
    );
  if (config.enrollment)
    flows.push(
      enrollmentFlow(
        { ...config.enrollment, path: kitPath(config.enrollment.path) },
        {
          client,
          waker,
          upstreamPollMs: settings.upstreamPollMs,
          report: settings.report,
          events,
        },
      ),
    );
  if (flows.length === 0)
    throw new TypeError('Configure at least one of login, secondFactor, enrollment.');

  const pacer = new PollPacer(settings.interval);
  const settle = loginSettlement({ settings, store, pacer });
  const app = kitApp({
    settings,
    flows,
    bundle,
    start: startHandler({ settings, store, binding, limits, clientAddress: address }),
    status: statusHandler({
      settings,
      store,
      binding,
      limits,
      pacer,
      clientAddress: address,
      settle,
    }),
    confirm: confirmHandler({ settings, store, binding, limits, clientAddress: address, settle }),
    callback: callbackHandler({ callbackUri, limits, waker, clientAddress: address }),
  });
  return {
    relyingParty: client,
    revokePhone: revokePhone({ client, clientAddress: address, events }),
    browserBundleUrl: bundle?.url,
    handles: (request) => app.handles(request),
    fetch: (request, context = {}) => app.fetch(request, context),
  };
}
