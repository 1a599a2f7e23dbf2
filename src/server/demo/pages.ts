import { html } from 'hono/html';
import type { LinkedDevice } from '../kit/index.js';
import type { DemoSecurityEvent } from './demo-database.js';
import { isActivePhone, isPendingPhone } from './linked-phones.js';

/*
 * The demo website's pages. `html` from hono/html escapes every interpolated value, so text from
 * users and from the Token Server (device names) is rendered as text. No inline script or style:
 * the CSP forbids both.
 */

type Markup = ReturnType<typeof html>;

export interface PageUser {
  email: string;
}

interface LayoutOptions {
  title: string;
  user?: PageUser | undefined;
  /** Loads the `<otp-login-qr>` element. */
  widget?: boolean;
}

export function layout(options: LayoutOptions, content: Markup): Markup {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Demo website</title>
        <link rel="stylesheet" href="/styles.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script type="module" src="/local-times.js"></script>
        ${options.widget ? html`<script type="module" src="/otp-login-qr.js"></script>` : ''}
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">Demo website</a>
          <nav aria-label="Account">
            ${
              options.user
                ? html`<span class="signed-in-as"
                      >Logged in as <a href="/account">${options.user.email}</a></span
                    >
                    <form method="post" action="/logout" class="inline">
                      <button type="submit" class="link">Log out</button>
                    </form>`
                : html`<a href="/login">Log in</a>
                    <a href="/signup" class="button small">Sign up</a>`
            }
          </nav>
        </header>
        <main>${content}</main>
        <footer class="site-footer">A demo of otp-login-qr: log in by scanning a QR code.</footer>
      </body>
    </html>`;
}

function errorBox(message: string | undefined): Markup | string {
  return message === undefined ? '' : html`<p class="error" role="alert">${message}</p>`;
}

export function homePage(user: PageUser | undefined): Markup {
  return layout(
    { title: 'Welcome', user },
    html`<section class="hero">
      <h1>Log in with your phone</h1>
      <p>
        Sign up with a password, link your phone once, and from then on log in by scanning a QR code
        with the scanner app. No password to type, nothing to copy.
      </p>
      <p class="actions">
        ${
          user
            ? html`<a class="button" href="/account">Go to your account</a>`
            : html`<a class="button" href="/signup">Create an account</a>
                <a class="button secondary" href="/login">Log in</a>`
        }
      </p>
    </section>`,
  );
}

/**
 * The email and password fields of the sign-up and login forms. A new password asks for 8
 * characters and tells the password manager to suggest one.
 */
function credentialFields(options: { email: string | undefined; newPassword: boolean }): Markup {
  return html`<label
      >Email
      <input
        type="email"
        name="email"
        required
        maxlength="254"
        autocomplete="username"
        value="${options.email ?? ''}"
    /></label>
    <label
      >${options.newPassword ? 'Password (at least 8 characters)' : 'Password'}
      <input
        type="password"
        name="password"
        required
        minlength="${options.newPassword ? '8' : '1'}"
        maxlength="200"
        autocomplete="${options.newPassword ? 'new-password' : 'current-password'}"
    /></label>`;
}

export function signupPage(options: { error?: string; email?: string } = {}): Markup {
  return layout(
    { title: 'Sign up' },
    html`<section class="card narrow">
      <h1>Create an account</h1>
      ${errorBox(options.error)}
      <form method="post" action="/signup" class="stack">
        ${credentialFields({ email: options.email, newPassword: true })}
        <button type="submit">Sign up</button>
      </form>
      <p>Have an account? <a href="/login">Log in</a>.</p>
    </section>`,
  );
}

export function loginPage(options: { error?: string; email?: string } = {}): Markup {
  return layout(
    { title: 'Log in', widget: true },
    html`<h1>Log in</h1>
      ${errorBox(options.error)}
      <div class="columns">
        <section class="card">
          <h2>With your phone</h2>
          <p>Open the scanner app and scan this code.</p>
          <otp-login-qr endpoint="/otp-login"></otp-login-qr>
          <noscript
            >Logging in with your phone needs JavaScript; use your password instead.</noscript
          >
        </section>
        <section class="card">
          <h2>With your password</h2>
          <form method="post" action="/login" class="stack">
            ${credentialFields({ email: options.email, newPassword: false })}
            <button type="submit">Log in</button>
          </form>
          <p>No account yet? <a href="/signup">Sign up</a>.</p>
        </section>
      </div>`,
  );
}

export function secondFactorPage(email: string): Markup {
  return layout(
    { title: 'Confirm on your phone', widget: true },
    html`<section class="card narrow">
      <h1>Confirm on your phone</h1>
      <p>
        Your password was right. Because ${email} has a linked phone, confirm this login with it:
        scan the code with the scanner app and tap “Yes, log in”.
      </p>
      <otp-login-qr endpoint="/otp-2fa"></otp-login-qr>
      <form method="post" action="/logout">
        <button type="submit" class="link">Cancel</button>
      </form>
    </section>`,
  );
}

const EVENT_TEXT: Record<DemoSecurityEvent['type'], string> = {
  'phone-linked': 'Phone linked',
  'phone-link-refused': 'Link refused: the codes did not match',
  'phone-revoked': 'Phone revoked',
};

/**
 * A moment as the reader's browser writes it (assets/local-times.js: their language, region and
 * time zone, as the scanner app does); UTC until that script runs.
 */
function localTime(at: number | string): Markup {
  const iso = new Date(at).toISOString();
  return html`<time datetime=${iso}>${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** A security event as one line: what, which phone, from where, when. */
function securityEventItem(event: DemoSecurityEvent): Markup {
  const from = [event.ipAddress, event.userAgent].filter((part) => part !== null).join(' · ');
  return html`<li>
    <strong>${EVENT_TEXT[event.type]}</strong>${event.deviceName ? html`: ${event.deviceName}` : ''}
    <small>${localTime(event.at)}${from ? html` · from ${from}` : ''}</small>
  </li>`;
}

export function accountPage(options: {
  user: PageUser;
  devices: LinkedDevice[] | undefined;
  events: DemoSecurityEvent[];
  notice?: string;
}): Markup {
  const active = options.devices?.filter(isActivePhone);
  const pending = options.devices?.filter(isPendingPhone) ?? [];
  return layout(
    { title: 'Your account', user: options.user },
    html`<h1>Your account</h1>
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <section class="card">
        <h2>Linked phones</h2>
        ${
          active === undefined
            ? html`<p class="error" role="alert">
                Your phones cannot be listed right now. Try again soon.
              </p>`
            : active.length === 0
              ? html`<p>No phone is linked yet. Link one to log in without your password.</p>`
              : html`<ul class="devices">
                  ${active.map(
                    (device) =>
                      html`<li>
                        <span
                          ><strong>${device.name || 'Unnamed phone'}</strong>
                          <small>linked ${localTime(device.createdAt)}</small>
                          <small
                            >${
                              device.userVerifying
                                ? 'Asks for your fingerprint or face before a login'
                                : 'Accepts logins with a tap'
                            }</small
                          ></span
                        >
                        <form method="post" action="/account/devices/${device.deviceId}/revoke">
                          <button type="submit" class="danger">Revoke</button>
                        </form>
                      </li>`,
                  )}
                </ul>`
        }
        ${
          pending.length === 0
            ? ''
            : html`<p class="notice">
                ${pending.length === 1 ? 'A phone' : `${pending.length} phones`} used a link code
                without the link being confirmed here: ${pending.length === 1 ? 'it' : 'they'}
                cannot log in. If you did not scan a link code just now, someone else may have seen
                it.
              </p>`
        }
        <p><a class="button" href="/account/link">Link your phone</a></p>
      </section>
      <section class="card">
        <h2>Security events</h2>
        ${
          options.events.length === 0
            ? html`<p>No phone was linked or revoked yet.</p>`
            : html`<ul class="events">
                ${options.events.map(securityEventItem)}
              </ul>`
        }
        <p>
          <small
            >Every link and revoke of a phone is listed here. Revoke any phone you do not
            know.</small
          >
        </p>
      </section>`,
  );
}

/** Before a phone is linked, the user types their password again (or logs in again). */
export function confirmPasswordPage(user: PageUser, options: { error?: string } = {}): Markup {
  return layout(
    { title: 'Confirm it is you', user },
    html`<section class="card narrow">
      <h1>Confirm it is you</h1>
      <p>
        Linking a phone lets it log in as ${user.email}. Type your password again first, or log out
        and log in again with a phone you linked before.
      </p>
      ${errorBox(options.error)}
      <form method="post" action="/account/reauthenticate" class="stack">
        <input type="email" name="email" autocomplete="username" value="${user.email}" hidden />
        <label
          >Password
          <input
            type="password"
            name="password"
            required
            maxlength="200"
            autocomplete="current-password"
        /></label>
        <button type="submit">Continue</button>
      </form>
      <p><a href="/account">Back to your account</a></p>
    </section>`,
  );
}

export function linkPhonePage(user: PageUser): Markup {
  return layout(
    { title: 'Link your phone', user, widget: true },
    html`<section class="card narrow">
      <h1>Link your phone</h1>
      <ol>
        <li>Open the scanner app on your phone and scan this code.</li>
        <li>
          The app asks whether to link itself to ${user.email}: check the details and tap Link.
        </li>
        <li>Check that the phone shows the same code as this page, and confirm here.</li>
      </ol>
      <p>Never scan a link code that someone else sent you, and never show this code to anyone.</p>
      <otp-login-qr endpoint="/otp-link" purpose="link"></otp-login-qr>
      <p><a href="/account">Back to your account</a></p>
    </section>`,
  );
}

export function notFoundPage(user: PageUser | undefined): Markup {
  return layout(
    { title: 'Not found', user },
    html`<section class="card narrow">
      <h1>This page does not exist</h1>
      <p><a href="/">Go to the start page</a></p>
    </section>`,
  );
}

export function errorPage(message: string): Markup {
  return layout(
    { title: 'Something went wrong' },
    html`<section class="card narrow">
      <h1>Something went wrong</h1>
      <p>${message}</p>
      <p><a href="/">Go to the start page</a></p>
    </section>`,
  );
}
