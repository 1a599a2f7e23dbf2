import { formatAppUrl, MAX_STATUS_WAIT_SECONDS } from '../../protocol/index.js';
import { isTrustedProxyCount } from '../security/forwarded-for.js';
import type { OtpLoginKitConfig } from './kit-config.js';

/** The kit's configuration, checked and completed with its defaults: what the handlers read. */
export interface KitSettings {
  /** The website's origin: the only `Origin` that may start a login. */
  readonly publicOrigin: string;
  /** On https the binding cookie is Secure and `__Host-`. */
  readonly secure: boolean;
  /** The scanner app's URL; the QR is this URL with the code in its fragment. */
  readonly appUrl: string;
  readonly callbackUri: string;
  /** The path of `callbackUri`, where the kit takes the Token Server's callback. */
  readonly callbackPath: string;
  /** Seconds the browser waits between two polls of one login. */
  readonly interval: number;
  /** The longest a poll is held, in seconds. */
  readonly maxWaitSeconds: number;
  /** Without long-poll (and for enrollments), how often the Token Server is read, in ms. */
  readonly upstreamPollMs: number;
  /** The website's own reverse proxies in front of it. */
  readonly trustedProxies: number;
  /** Hears the failures the kit answered with 503. */
  readonly report: (error: unknown) => void;
}

/** Checks `config` and fills in its defaults; a configuration the kit cannot work with is a TypeError. */
export function kitSettings(config: OtpLoginKitConfig): KitSettings {
  const publicOrigin = originOf(config.publicOrigin, 'publicOrigin');
  const appUrl = new URL(config.appUrl).href;
  formatAppUrl(appUrl, '0'); // throws a TypeError for an app URL that phones would refuse
  // Matched as the Token Server will post it: exactly the URI's path, a trailing slash too.
  const callbackPath = routable(new URL(config.callbackUri).pathname);
  const interval = config.interval ?? 2;
  const maxWaitSeconds = Math.min(config.maxWaitSeconds ?? 25, MAX_STATUS_WAIT_SECONDS);
  const upstreamPollMs = config.upstreamPollMs ?? 1000;
  if (!(interval >= 0) || !(maxWaitSeconds >= 0) || !(upstreamPollMs >= 50))
    throw new TypeError('interval, maxWaitSeconds and upstreamPollMs must be positive numbers.');
  const trustedProxies = config.trustedProxies ?? 0;
  if (!isTrustedProxyCount(trustedProxies))
    throw new TypeError(
      'trustedProxies must be the number of your own reverse proxies in front of the website, 0 to 10.',
    );
  return {
    publicOrigin,
    secure: publicOrigin.startsWith('https:'),
    appUrl,
    callbackUri: config.callbackUri,
    callbackPath,
    interval,
    maxWaitSeconds,
    upstreamPollMs,
    trustedProxies,
    report:
      config.onError ??
      ((error: unknown) => {
        console.error(error);
      }),
  };
}

/** A path of the website that the kit serves (a flow's, the script's), without a trailing slash. */
export function kitPath(path: string): string {
  return routable(path).replace(/\/+$/, '') || '/';
}

/**
 * The kit's routes are Hono routes, so the characters of Hono's route patterns (`:` `*` `{` `}`)
 * cannot be in a path of the kit's.
 */
function routable(path: string): string {
  if (!path.startsWith('/') || /[?#:*{}]/.test(path))
    throw new TypeError(`A kit path must start with "/" and hold none of ? # : * { }: ${path}`);
  return path;
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
