import type { LongPollMode } from './relying-party-client.js';
import type { CookieOptions } from './binding-cookie.js';
import type { LinkedDevice } from './relying-party-client.js';
import type { LoginStore } from './login-store.js';
import type { OnSecurityEvent } from './phone-link-events.js';

/** What the website's hook returns when a browser has logged in: its session, and where to go. */
export interface LoginOutcome {
  /** Where the page goes next (`redirect_to` in the status response). */
  redirectTo: string;
  /** Set-Cookie header values, e.g. the website's session cookie. */
  cookies?: readonly string[];
  /** Other headers for the response. */
  headers?: Record<string, string>;
}

/** Called once per accepted login, with the Token Server's user id. */
export type OnLogin = (userId: string, request: Request) => LoginOutcome | Promise<LoginOutcome>;

/** Reads the website's user from a request (its session), or null when nobody is logged in. */
export type UserOfRequest = (request: Request) => string | null | Promise<string | null>;

/**
 * Whether `userId` proved who they are recently enough to link a phone: signed in, or entered the
 * password again (or scanned with a phone already linked), a few minutes ago. A linked phone
 * logs in for good, so a stolen session or password must not be enough to add one.
 */
export type RecentlyAuthenticated = (
  userId: string,
  request: Request,
) => boolean | Promise<boolean>;

/** A limit: `points` requests per `durationSeconds`, per key. */
export interface KitRateLimit {
  points: number;
  durationSeconds: number;
}

/** What an adapter knows about the connection, which a Request does not carry. */
export interface KitRequestContext {
  /**
   * The browser's address as the adapter knows it: the TCP peer address (the browser's, or that
   * of the proxy in front of the website), or the platform's own answer when `resolvedByPlatform`.
   */
  clientIp?: string;
  /**
   * True when the platform has already found the browser behind the website's proxies (Express's
   * `req.ip` with its `trust proxy` setting on): `clientIp` is that address, and the kit's
   * `trustedProxies` does not read X-Forwarded-For a second time.
   */
  resolvedByPlatform?: boolean;
}

/** The element's one-file browser bundle, served by the kit. */
export interface KitBrowserBundle {
  /**
   * The URL path it is served at, e.g. `/otp-login-qr.js` (`GET` and `HEAD`). With `?v=` and the
   * current version (see `OtpLoginKit.browserBundleUrl`) it may be cached for a year.
   */
  path: string;
  /**
   * The file to serve (a filesystem path). Default this package's own bundle,
   * `otp-login-qr/otp-login-qr.js`. Read once, when the kit is created.
   */
  file?: string;
}

export interface OtpLoginKitConfig {
  tokenServer: {
    /** Base URL of any server with Onegini's v4 relying-party API. */
    url: string;
    clientId: string;
    clientSecret: string;
    /**
     * `auto` (default): the batched long-poll, else one long-poll a login, whichever the server
     * has; `per-login`: only the latter; `never`: plain reads.
     */
    longPoll?: LongPollMode;
    /** A fetch to call the Token Server with (tests, proxies); default the global fetch. */
    fetch?: (request: Request) => Promise<Response>;
  };
  /** The website's own origin, e.g. `https://www.example.com`: the only Origin allowed to start. */
  publicOrigin: string;
  /** The scanner app's URL; the QR is this URL with the code in its fragment. */
  appUrl: string;
  /** The callback URI registered with the Token Server; the kit serves POST on its path. */
  callbackUri: string;
  /** Passwordless login: `POST {path}` starts, `GET {path}/{id}` reports. */
  login?: {
    path: string;
    /** The Token Server's login type, e.g. `otp`. */
    type: string;
    /** The message the phone shows; default the type's configured message. */
    message?: string;
    onLogin: OnLogin;
  };
  /** Second factor: like `login`, but for the user `userId` returns, and only their phones. */
  secondFactor?: {
    path: string;
    /** A type with `secondFactor` on the Token Server. */
    type: string;
    message?: string;
    /** The user who passed the first factor (e.g. a password), or null. */
    userId: UserOfRequest;
    onLogin: OnLogin;
  };
  /**
   * Linking a phone to the logged-in user (needs the reference server's enrollment extension).
   * The link is made only for the phone that used this very code, and only after the user
   * confirms on the linking page that the phone shows the page's code:
   * `POST {path}/{id}/confirm` `{matches}`.
   */
  enrollment?: {
    path: string;
    /** The logged-in user, or null (then start answers 401). */
    userId: UserOfRequest;
    /**
     * Required. Whether the user authenticated recently enough to link a phone; false makes the
     * start answer 401 `reauthentication_required` and start nothing: ask for the password (or
     * a scan with a linked phone) again, then let the page start the link.
     */
    recentlyAuthenticated: RecentlyAuthenticated;
    /**
     * The name the phone shows for the account instead of the user id (an email address, a full
     * name): 1 to 64 characters, no control or bidi characters (`isDisplayName`). Default none.
     */
    displayName?: (
      userId: string,
      request: Request,
    ) => string | undefined | Promise<string | undefined>;
    /** Called once when the user confirmed the link (the codes match); returns where to go. */
    onEnrolled?: (
      userId: string,
      device: LinkedDevice,
      request: Request,
    ) => LoginOutcome | Promise<LoginOutcome>;
    /** Where to go after linking when there is no `onEnrolled`. Default `/`. */
    redirectTo?: string;
  };
  /**
   * Hears of every phone linked (the user confirmed the codes), every link refused (the user said
   * the codes differ: another phone used the code), and every phone revoked with `revokePhone`:
   * tell the account's owner (an email, a list on the account page). A hook that throws is
   * reported to `onError` and changes nothing about the link.
   */
  onSecurityEvent?: OnSecurityEvent;
  /** The binding cookie's name and lifetime. It is HttpOnly, SameSite=Strict, Secure on https. */
  cookie?: CookieOptions;
  /** Seconds the browser waits between two status requests. Default 2. */
  interval?: number;
  /** The longest a status request is held, in seconds. Default 25. */
  maxWaitSeconds?: number;
  /** Without long-poll (and for enrollments), how often the kit reads the Token Server. Default 1000 ms. */
  upstreamPollMs?: number;
  rateLimits?: {
    /** Starts per browser IP. Default 30 per 60 s. */
    startPerIp?: KitRateLimit;
    /**
     * Starts per browser network (IPv4 /24, IPv6 /64), beside `startPerIp`: one IPv6 host can use
     * any address of its /64. Default 120 per 60 s.
     */
    startPerNetwork?: KitRateLimit;
    /**
     * Starts from all browsers together: a cap on what a crowd of addresses can spend of the
     * website's Token Server budget and the kit's store. Default 3000 per 60 s.
     */
    startOverall?: KitRateLimit;
    /** Status requests per browser IP. Default 300 per 60 s. */
    statusPerIp?: KitRateLimit;
    /** Status requests per login. Default 60 per 60 s. */
    statusPerLogin?: KitRateLimit;
    /** Callbacks per caller IP. Default 600 per 60 s. */
    callbackPerIp?: KitRateLimit;
    /** Confirmations (a typed code, a comparison) per browser IP. Default 30 per 60 s. */
    confirmPerIp?: KitRateLimit;
    /**
     * Confirmations per login. Default 10 per 60 s. (The Token Server ends a login after 3 wrong
     * codes; this stops a browser hammering it with anything else.)
     */
    confirmPerLogin?: KitRateLimit;
  };
  /** Where logins live between start and status. Default a bounded in-memory store. */
  store?: LoginStore;
  /**
   * How many reverse proxies of your own (load balancers) stand in front of the website, 0 to 10.
   * Default 0: the adapter's socket address is the browser's. With n, the browser's address is
   * the n-th entry from the right of X-Forwarded-For (the one your outermost proxy wrote); a
   * request with fewer entries, or with no address there, is known by its socket address. Not
   * applied when the platform resolved the address itself (`context.resolvedByPlatform`).
   */
  trustedProxies?: number;
  /**
   * The browser's IP address, sent to the Token Server and used for rate limits. Default the
   * adapter's address, read behind `trustedProxies`. When given, this wins over both; it gets
   * the adapter's context as it is.
   */
  clientIp?: (request: Request, context: KitRequestContext) => string | undefined;
  /** Serve the element's one-file browser bundle at a path of the website. Default not served. */
  browserBundle?: KitBrowserBundle;
  /**
   * Failures the kit answered with 5xx (Token Server down, hook threw), and those it went on
   * after (`onSecurityEvent` threw). Default: console.error.
   */
  onError?: (error: unknown) => void;
}
