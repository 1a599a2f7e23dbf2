import { readFile } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { isDisplayName } from '../../protocol/index.js';
import {
  createOtpLoginKit,
  honoContext,
  isSameOriginRequest,
  KitError,
  otpLoginMiddleware,
  readCookie,
  serializeCookie,
  type LinkedDevice,
  type OtpLoginKit,
} from '../kit/index.js';
import { DemoDatabase, SESSION_TTL_MS, type DemoSession, type DemoUser } from './demo-database.js';
import { isActivePhone } from './linked-phones.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './passwords.js';
import {
  accountPage,
  confirmPasswordPage,
  errorPage,
  homePage,
  linkPhonePage,
  loginPage,
  notFoundPage,
  secondFactorPage,
  signupPage,
} from './pages.js';

/** Every page and file of the demo is sent with this policy: no inline script or style, no eval. */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
].join('; ');

export interface DemoWebsiteOptions {
  /** This website's origin as browsers see it, e.g. `http://localhost:7002`. */
  publicOrigin: string;
  /** The scanner PWA's URL (the QR codes point there). */
  appUrl: string;
  tokenServer: {
    url: string;
    clientId: string;
    clientSecret: string;
    fetch?: (request: Request) => Promise<Response>;
  };
  /** Token Server login types. Defaults `otp` and `otp_second_factor`. */
  loginType?: string;
  /** `null`: the Token Server has no second-factor type, and a password alone logs in. */
  secondFactorType?: string | null;
  /** SQLite file of users and sessions, or `:memory:`. */
  databasePath: string;
  /** The widget bundle served at /otp-login-qr.js. Default `dist/browser/otp-login-qr.js`. */
  widgetScriptPath?: string;
  /** Kit settings for tests (interval, limits). */
  kit?: { interval?: number; upstreamPollMs?: number };
  onError?: (error: unknown) => void;
}

export interface DemoWebsite {
  app: Hono;
  kit: OtpLoginKit;
  database: DemoDatabase;
  close(): void;
}

const STYLES_URL = new URL('./assets/styles.css', import.meta.url);
const LOCAL_TIMES_URL = new URL('./assets/local-times.js', import.meta.url);
/** The demo's favicon is the scanner app's icon: one mark for the product. */
const FAVICON_URL = new URL('../../../public/icon.svg', import.meta.url);
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}$/;
/**
 * Linking a phone asks for a password typed (or a login made) this recently: whoever finds a
 * logged-in browser, or a stolen password's session, cannot quietly link their own phone.
 */
export const RECENT_AUTHENTICATION_MS = 5 * 60 * 1000;
/** The bodies an HTML form sends (`enctype`), the only ones the password forms read. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The demo website: password sign-up and login, passwordless login by QR, a second factor on the
 * phone for accounts with a linked phone, and linking and revoking phones. Server-rendered.
 */
export function createDemoWebsite(options: DemoWebsiteOptions): DemoWebsite {
  const origin = new URL(options.publicOrigin).origin;
  const secure = origin.startsWith('https:');
  const sessionCookie = secure ? '__Host-demo_session' : 'demo_session';
  const database = new DemoDatabase(options.databasePath);
  const widgetPath = options.widgetScriptPath ?? 'dist/browser/otp-login-qr.js';
  const report =
    options.onError ??
    ((error: unknown) => {
      console.error(error);
    });

  function sessionOf(request: Request): { token: string; session: DemoSession } | undefined {
    const token = readCookie(request.headers.get('cookie'), sessionCookie);
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const session = database.session(token);
    return session === undefined ? undefined : { token, session };
  }

  function fullUser(request: Request): DemoUser | undefined {
    const found = sessionOf(request);
    if (found?.session.stage !== 'full') return undefined;
    return database.userById(found.session.userId);
  }

  /** The user proved who they are in this session recently enough to link a phone. */
  function recentlyAuthenticated(request: Request): boolean {
    const found = sessionOf(request);
    return (
      found?.session.stage === 'full' &&
      Date.now() - found.session.authenticatedAt < RECENT_AUTHENTICATION_MS
    );
  }

  function newSessionCookie(userId: string, stage: DemoSession['stage']): string {
    return serializeCookie(sessionCookie, database.createSession(userId, stage), {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });
  }

  const clearSessionCookie = serializeCookie(sessionCookie, '', {
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: 0,
  });

  /** Ends the session in `request` (if any) and starts a full one: a fresh token on every login. */
  function loginOutcome(userId: string, request: Request) {
    const previous = sessionOf(request);
    if (previous) database.deleteSession(previous.token);
    if (database.userById(userId) === undefined)
      return { redirectTo: '/login?error=unknown-account', cookies: [clearSessionCookie] };
    return { redirectTo: '/account', cookies: [newSessionCookie(userId, 'full')] };
  }

  const secondFactorType =
    options.secondFactorType === undefined ? 'otp_second_factor' : options.secondFactorType;
  const kit = createOtpLoginKit({
    tokenServer: options.tokenServer,
    publicOrigin: origin,
    appUrl: options.appUrl,
    callbackUri: `${origin}/otp-login/callback`,
    ...(options.kit?.interval === undefined ? {} : { interval: options.kit.interval }),
    ...(options.kit?.upstreamPollMs === undefined
      ? {}
      : { upstreamPollMs: options.kit.upstreamPollMs }),
    login: { path: '/otp-login', type: options.loginType ?? 'otp', onLogin: loginOutcome },
    ...(secondFactorType === null
      ? {}
      : {
          secondFactor: {
            path: '/otp-2fa',
            type: secondFactorType,
            userId: (request: Request) => {
              const found = sessionOf(request);
              return found?.session.stage === 'second_factor' ? found.session.userId : null;
            },
            onLogin: loginOutcome,
          },
        }),
    enrollment: {
      path: '/otp-link',
      userId: (request) => fullUser(request)?.id ?? null,
      // The phone shows the email address the user signed up with, not the demo's opaque id
      // (unless the address is too long to be a display name: then the id).
      displayName: (_userId, request) => {
        const email = fullUser(request)?.email;
        return isDisplayName(email) ? email : undefined;
      },
      recentlyAuthenticated: (userId, request) =>
        recentlyAuthenticated(request) && fullUser(request)?.id === userId,
      redirectTo: '/account?linked=1',
    },
    // Every link, refused link and revoke goes on the account's list of security events, where
    // an owner sees a phone they did not link (a real site would also send an email).
    onSecurityEvent: (event) => {
      database.addSecurityEvent(event.userId, {
        type: event.type,
        deviceName: event.deviceName,
        ipAddress: event.ipAddress,
        userAgent: event.userAgent,
        at: event.at.getTime(),
      });
    },
    onError: report,
  });

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', DEMO_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: that makes browsers send `Origin: null` on the site's own POSTs.
    c.header('Referrer-Policy', 'same-origin');
  });
  app.use('*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Too large.', 413) }));
  app.use('*', otpLoginMiddleware(kit));
  // CSRF on the site's own forms: a POST must come from a page of this site.
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST' && !isSameOriginRequest(c.req.raw, origin)) {
      return c.html(errorPage('This form was not sent from this website.'), 403);
    }
    await next();
    return undefined;
  });

  // A brake on password guessing: password forms per IP address.
  const passwordAttempts = new RateLimiterMemory({ points: 20, duration: 300, keyPrefix: 'pw' });
  for (const path of ['/login', '/signup', '/account/reauthenticate']) {
    app.post(path, async (c, next) => {
      // Only what the site's own forms send; anything else is refused unread, and is no attempt.
      if (!FORM_TYPES.includes(mediaType(c.req.header('content-type')))) {
        c.header('Accept', FORM_TYPES.join(', '));
        return c.html(
          errorPage('This form was sent in a format the website does not read. Use the form.'),
          415,
        );
      }
      try {
        await passwordAttempts.consume(honoContext(c).clientIp ?? 'unknown');
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        c.header('Retry-After', String(seconds));
        return c.html(errorPage('Too many attempts. Wait a few minutes, then try again.'), 429);
      }
      await next();
      return undefined;
    });
  }

  app.get('/', (c) => c.html(homePage(fullUser(c.req.raw))));

  app.get('/styles.css', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(await readFile(STYLES_URL, 'utf8'), 200, {
      'Content-Type': 'text/css; charset=utf-8',
    });
  });

  app.get('/local-times.js', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(await readFile(LOCAL_TIMES_URL, 'utf8'), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
    });
  });

  app.get('/favicon.svg', async (c) => {
    c.header('Cache-Control', 'max-age=86400');
    return c.body(await readFile(FAVICON_URL, 'utf8'), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
    });
  });

  app.get('/otp-login-qr.js', async (c) => {
    let script: string;
    try {
      script = await readFile(widgetPath, 'utf8');
    } catch {
      return c.text('The widget is not built yet: run `npm run build:widget`.', 404);
    }
    c.header('Cache-Control', 'no-cache');
    return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.get('/signup', (c) => c.html(signupPage()));
  app.post('/signup', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form['email'] === 'string' ? form['email'].trim() : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    if (!EMAIL.test(email))
      return c.html(signupPage({ error: 'Enter a valid email address.', email }), 400);
    if (password.length < 8 || password.length > 200)
      return c.html(signupPage({ error: 'Choose a password of 8 to 200 characters.', email }), 400);
    const user = database.createUser(email, await hashPassword(password));
    if (user === undefined)
      return c.html(
        signupPage({ error: 'An account with this email exists. Log in instead.', email }),
        409,
      );
    c.header('Set-Cookie', newSessionCookie(user.id, 'full'));
    return c.redirect('/account', 303);
  });

  app.get('/login', (c) => {
    if (fullUser(c.req.raw)) return c.redirect('/account', 303);
    const error =
      c.req.query('error') === 'unknown-account'
        ? 'That phone is linked to no account here.'
        : undefined;
    return c.html(loginPage(error === undefined ? {} : { error }));
  });
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form['email'] === 'string' ? form['email'].trim() : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    const user = email.length <= 254 ? database.userByEmail(email) : undefined;
    // Verify against a dummy hash when there is no such user, so both take as long.
    const valid = await verifyPassword(
      password.slice(0, 200),
      user?.passwordHash ?? DUMMY_PASSWORD_HASH,
    );
    if (user === undefined || !valid)
      return c.html(loginPage({ error: 'The email or password is wrong.', email }), 401);
    let devices: LinkedDevice[] = [];
    try {
      if (secondFactorType !== null) devices = await kit.relyingParty.listDevices(user.id);
    } catch (error) {
      report(error);
      return c.html(
        loginPage({ error: 'Logging in is not possible right now. Try again soon.', email }),
        503,
      );
    }
    const previous = sessionOf(c.req.raw);
    if (previous) database.deleteSession(previous.token);
    // An account with a linked phone needs the phone as a second factor.
    const needsPhone = devices.some(isActivePhone);
    c.header('Set-Cookie', newSessionCookie(user.id, needsPhone ? 'second_factor' : 'full'));
    return c.redirect(needsPhone ? '/login/confirm' : '/account', 303);
  });

  app.get('/login/confirm', (c) => {
    const found = sessionOf(c.req.raw);
    const user =
      found?.session.stage === 'second_factor'
        ? database.userById(found.session.userId)
        : undefined;
    if (user === undefined) return c.redirect('/login', 303);
    return c.html(secondFactorPage(user.email));
  });

  app.post('/logout', (c) => {
    const found = sessionOf(c.req.raw);
    if (found) database.deleteSession(found.token);
    c.header('Set-Cookie', clearSessionCookie);
    return c.redirect('/', 303);
  });

  app.get('/account', async (c) => {
    const user = fullUser(c.req.raw);
    if (user === undefined) return c.redirect('/login', 303);
    let devices: LinkedDevice[] | undefined;
    try {
      devices = await kit.relyingParty.listDevices(user.id);
    } catch (error) {
      report(error);
    }
    const notice =
      c.req.query('linked') !== undefined
        ? 'Your phone is linked. You can now log in with it.'
        : c.req.query('revoked') !== undefined
          ? 'The phone is revoked. It can no longer log in.'
          : undefined;
    const events = database.securityEvents(user.id);
    return c.html(
      accountPage({ user, devices, events, ...(notice === undefined ? {} : { notice }) }),
    );
  });

  app.get('/account/link', (c) => {
    const user = fullUser(c.req.raw);
    if (user === undefined) return c.redirect('/login', 303);
    if (!recentlyAuthenticated(c.req.raw)) return c.html(confirmPasswordPage(user));
    return c.html(linkPhonePage(user));
  });

  app.post('/account/reauthenticate', async (c) => {
    const found = sessionOf(c.req.raw);
    const user = fullUser(c.req.raw);
    if (found === undefined || user === undefined) return c.redirect('/login', 303);
    const form = await c.req.parseBody();
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    if (!(await verifyPassword(password.slice(0, 200), user.passwordHash)))
      return c.html(confirmPasswordPage(user, { error: 'That password is wrong.' }), 401);
    database.markAuthenticated(found.token);
    return c.redirect('/account/link', 303);
  });

  app.post('/account/devices/:deviceId/revoke', async (c) => {
    const user = fullUser(c.req.raw);
    if (user === undefined) return c.redirect('/login', 303);
    const deviceId = c.req.param('deviceId');
    // The kit revokes only a phone of this user (the Token Server would revoke any phone of this
    // client), and reports the revoke to onSecurityEvent with the address that asked.
    try {
      await kit.revokePhone(user.id, deviceId, c.req.raw, honoContext(c));
    } catch (error) {
      if (error instanceof KitError && error.code === 'phone_not_found')
        return c.html(notFoundPage(user), 404);
      throw error;
    }
    return c.redirect('/account?revoked=1', 303);
  });

  app.notFound((c) => c.html(notFoundPage(fullUser(c.req.raw)), 404));
  app.onError((error, c: Context) => {
    report(error);
    return c.html(errorPage('The website failed to answer. Try again in a moment.'), 500);
  });

  return {
    app,
    kit,
    database,
    close() {
      database.close();
    },
  };
}

/** `type/subtype` of a Content-Type header, lower-cased, without parameters; '' if none. */
function mediaType(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
}
