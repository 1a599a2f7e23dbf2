/*
 * The website ↔ widget contract, as users' stories, written once and run against every side that
 * speaks it (website-kit.node.test.ts, website-mock.node.test.ts). Every answer is checked
 * against the contract's schemas (src/protocol/website-contract-schemas.ts), and every story must
 * end the same way on both sides: a mock that answers what the kit never does fails here.
 *
 * Time is a fake `Date` that only the suite moves; the page waits `interval` between two polls,
 * as `<otp-login-qr>` does.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { install } from '@sinonjs/fake-timers';
import * as v from 'valibot';
import {
  LoginStatusResponseSchema,
  SlowDownResponseSchema,
  StartLoginResponseSchema,
  WEBSITE_ERROR_STATUSES,
  WebsiteErrorResponseSchema,
  type LoginStatusResponse,
  type StartLoginResponse,
  type WebsiteErrorCode,
} from '../../src/protocol/index.js';
import { ContractBrowser, type BrowserAnswer } from './website-browser.js';
import type { WebsiteSide, WebsiteStory, WebsiteUnderTest } from './website-side.js';

/** The kit's default `interval`, which the mock must default to as well. */
const DEFAULT_INTERVAL = 2;
/** The Token Server's default time to live of a code, seconds. */
const DEFAULT_EXPIRES_IN = 60;
/** A well-formed login id that no website has given out. */
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** `body` as `schema` reads it; fails, naming what is wrong, when it does not conform. */
function conforming<TSchema extends v.GenericSchema>(
  schema: TSchema,
  answer: BrowserAnswer,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, answer.body);
  assert.ok(
    result.success,
    `${answer.status} ${JSON.stringify(answer.body)} breaks the contract: ${
      result.success ? '' : v.summarize(result.issues)
    }`,
  );
  return result.output;
}

/** A JSON answer that is never cached. */
function assertJson(answer: BrowserAnswer): void {
  assert.match(answer.response.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.equal(answer.response.headers.get('cache-control'), 'no-store');
}

function assertStarted(answer: BrowserAnswer): StartLoginResponse {
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assertJson(answer);
  return conforming(StartLoginResponseSchema, answer);
}

function assertStatus(answer: BrowserAnswer, status: LoginStatusResponse['status']) {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assertJson(answer);
  const body = conforming(LoginStatusResponseSchema, answer);
  assert.equal(body.status, status);
  return body;
}

/** An error answer of the contract: its status, its body, and no cookie. */
function assertError(answer: BrowserAnswer, error: WebsiteErrorCode) {
  assert.equal(answer.status, WEBSITE_ERROR_STATUSES[error], JSON.stringify(answer.body));
  assertJson(answer);
  assert.equal(conforming(WebsiteErrorResponseSchema, answer).error, error);
  assert.deepEqual(answer.response.headers.getSetCookie(), [], 'an error sets no cookie');
}

/** `Retry-After` in whole seconds, at least 1. */
function retryAfter(answer: BrowserAnswer): number {
  const header = answer.response.headers.get('retry-after') ?? '';
  assert.match(header, /^[1-9][0-9]*$/, `Retry-After: ${header}`);
  return Number(header);
}

export function describeWebsiteContract(side: WebsiteSide): void {
  describe(`the website contract, spoken by ${side.name}`, () => {
    let clock: ReturnType<typeof install>;
    let website: WebsiteUnderTest | undefined;

    beforeEach(() => {
      clock = install({ now: Date.now(), toFake: ['Date'] });
    });

    afterEach(async () => {
      await website?.close();
      website = undefined;
      clock.uninstall();
    });

    async function open(story: WebsiteStory): Promise<WebsiteUnderTest> {
      website = await side.open(story);
      return website;
    }

    /** `seconds` pass, for the website and everything behind it. */
    function elapse(on: WebsiteUnderTest, seconds: number): void {
      clock.tick(seconds * 1000);
      on.timePassed(seconds * 1000);
    }

    describe('starting a login', () => {
      it('answers 201 with the QR, interval 2, and an HttpOnly, SameSite=Strict binding cookie', async () => {
        const browser = new ContractBrowser(await open('pending'));
        const started = await browser.start();
        const body = assertStarted(started);
        assert.equal(body.interval, DEFAULT_INTERVAL);
        assert.equal(body.expires_in, DEFAULT_EXPIRES_IN);
        assert.ok(!body.qr.includes(body.id), 'whoever sees the QR cannot poll the login');
        const cookies = ContractBrowser.setCookies(started);
        assert.deepEqual([...cookies.keys()], ['otp_login_binding']);
        const attributes = cookies.get('otp_login_binding') ?? [];
        for (const attribute of ['httponly', 'samesite=strict', 'path=/'])
          assert.ok(attributes.includes(attribute), `${attribute} in ${attributes.join('; ')}`);
        assert.ok(!attributes.includes('secure'), 'Secure only on https');
      });

      it('refuses a start from another site, or without Origin, with 403 and no cookie', async () => {
        const browser = new ContractBrowser(await open('pending'));
        assertError(await browser.start({ Origin: 'https://evil.example' }), 'forbidden');
        assertError(await browser.start({}), 'forbidden');
        assert.equal(browser.cookies.size, 0);
      });

      it('keeps a browser’s binding cookie for its next login, so that two tabs can each log in', async () => {
        const site = await open('pending');
        const browser = new ContractBrowser(site);
        const first = assertStarted(await browser.start());
        const secret = browser.cookies.get('otp_login_binding');
        const second = assertStarted(await browser.start());
        assert.equal(browser.cookies.get('otp_login_binding'), secret);
        assertStatus(await browser.poll(first.id), 'pending');
        assertStatus(await browser.poll(second.id), 'pending');
      });

      it('forbidden_origin: a website whose public origin is not its pages’ origin answers 403', async () => {
        const browser = new ContractBrowser(await open('forbidden_origin'));
        assertError(await browser.start(), 'forbidden');
      });

      it('unauthorized: a second factor started by nobody logged in answers 401', async () => {
        const browser = new ContractBrowser(await open('unauthorized'));
        assertError(await browser.start(), 'unauthorized');
      });

      it('reauthentication_required: a phone link without a recent sign-in answers 401, and no cookie', async () => {
        const browser = new ContractBrowser(await open('reauthentication_required'));
        assertError(await browser.start(), 'reauthentication_required');
        assert.equal(browser.cookies.size, 0);
      });

      it('busy: a website holding as many logins as it may answers 503 with Retry-After', async () => {
        const browser = new ContractBrowser(await open('busy'));
        const refused = await browser.start();
        assertError(refused, 'busy');
        retryAfter(refused);
      });

      it('unavailable: a website whose Token Server is down answers 503 with Retry-After', async () => {
        const browser = new ContractBrowser(await open('unavailable'));
        const refused = await browser.start();
        assertError(refused, 'unavailable');
        retryAfter(refused);
      });
    });

    describe('polling a login', () => {
      it('accept: pending, scanned, then accepted with redirect_to, once; the next poll gets 404', async () => {
        const site = await open('accept');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        await site.scan(login.qr);
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'scanned');
        await site.answer('accept');
        elapse(site, login.interval);
        const accepted = assertStatus(await browser.poll(login.id), 'accepted');
        assert.equal(typeof accepted.redirect_to, 'string');
        elapse(site, login.interval);
        assertError(await browser.poll(login.id), 'not_found');
      });

      it('deny: denied, and denied again', async () => {
        const site = await open('deny');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        await site.scan(login.qr);
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'scanned');
        await site.answer('deny');
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'denied');
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'denied');
      });

      it('expire: a code nobody answers runs out: expired, and expired again', async () => {
        const site = await open('expire');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        elapse(site, login.expires_in);
        assertStatus(await browser.poll(login.id), 'expired');
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'expired');
      });

      it('a code nobody scans runs out after expires_in, and is forgotten a minute later', async () => {
        const site = await open('pending');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        elapse(site, login.expires_in - login.interval);
        assertStatus(await browser.poll(login.id), 'pending');
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'expired');
        elapse(site, 60);
        assertError(await browser.poll(login.id), 'not_found');
      });

      it('lost: a login the website forgot gets 404, poll after poll', async () => {
        const site = await open('lost');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        await site.forget(login.id);
        elapse(site, login.interval);
        assertError(await browser.poll(login.id), 'not_found');
        elapse(site, login.interval);
        assertError(await browser.poll(login.id), 'not_found');
      });

      it('a poll sooner than interval gets 400 slow_down with the interval; one after it, the status', async () => {
        const site = await open('pending');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        const tooSoon = await browser.poll(login.id);
        assert.equal(tooSoon.status, 400);
        assertJson(tooSoon);
        assert.deepEqual(conforming(SlowDownResponseSchema, tooSoon), {
          error: 'slow_down',
          interval: login.interval,
        });
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'pending');
      });

      it('rate_limited: too many polls get 429, Retry-After, and its seconds as interval', async () => {
        const browser = new ContractBrowser(await open('rate_limited'));
        const login = assertStarted(await browser.start());
        const limited = await browser.poll(login.id);
        assert.equal(limited.status, 429);
        assertJson(limited);
        const seconds = retryAfter(limited);
        assert.deepEqual(conforming(SlowDownResponseSchema, limited), {
          error: 'slow_down',
          interval: Math.min(seconds, 600),
        });
      });
    });

    describe('confirming in the browser', () => {
      /** A `confirm` status that asks for `kind`. */
      function assertConfirm(answer: BrowserAnswer, kind: 'compare_code' | 'enter_code') {
        const body = assertStatus(answer, 'confirm');
        assert.equal(body.confirm, kind);
        return body;
      }

      /** A link whose phone used the code: the page shows the phone's code and asks. */
      async function linkUsed() {
        const site = await open('compare_code');
        const browser = new ContractBrowser(site);
        const link = assertStarted(await browser.start());
        assertStatus(await browser.poll(link.id), 'pending');
        await site.scan(link.qr);
        elapse(site, link.interval);
        const asked = assertConfirm(await browser.poll(link.id), 'compare_code');
        assert.equal(asked.compare_code, site.phoneCode());
        return { site, browser, link };
      }

      /** A login whose phone accepted: the page asks for the phone's code. */
      async function loginAccepted() {
        const site = await open('enter_code');
        const browser = new ContractBrowser(site);
        const login = assertStarted(await browser.start());
        assertStatus(await browser.poll(login.id), 'pending');
        await site.scan(login.qr);
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'scanned');
        await site.answer('accept');
        elapse(site, login.interval);
        const asked = assertConfirm(await browser.poll(login.id), 'enter_code');
        assert.equal(asked.tries_left, undefined, 'no count before a wrong code');
        return { site, browser, login };
      }

      /** Six digits that are not `code`. */
      function otherThan(code: string): string {
        return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      }

      it('compare_code: "they match" links the phone, once; the next poll gets 404', async () => {
        const { site, browser, link } = await linkUsed();
        elapse(site, link.interval);
        assertConfirm(await browser.poll(link.id), 'compare_code');
        const linked = assertStatus(await browser.confirm(link.id, { matches: true }), 'accepted');
        assert.equal(typeof linked.redirect_to, 'string');
        elapse(site, link.interval);
        assertError(await browser.poll(link.id), 'not_found');
        assertError(await browser.confirm(link.id, { matches: true }), 'not_found');
      });

      it('compare_code: "they differ" refuses the link: denied, and denied again', async () => {
        const { site, browser, link } = await linkUsed();
        assertStatus(await browser.confirm(link.id, { matches: false }), 'denied');
        elapse(site, link.interval);
        assertStatus(await browser.poll(link.id), 'denied');
        assertError(await browser.confirm(link.id, { matches: true }), 'invalid_request');
      });

      it('compare_code: a code instead of an answer, or an outsider’s answer, changes nothing', async () => {
        const { site, browser, link } = await linkUsed();
        assertError(await browser.confirm(link.id, { code: site.phoneCode() }), 'invalid_request');
        assertError(await browser.confirm(link.id, { matches: 'yes' }), 'invalid_request');
        const outsider = new ContractBrowser(site, '203.0.113.9');
        assertError(await outsider.confirm(link.id, { matches: false }), 'not_found');
        assertError(
          await browser.confirm(link.id, { matches: false }, 'https://evil.example'),
          'forbidden',
        );
        elapse(site, link.interval);
        assertConfirm(await browser.poll(link.id), 'compare_code');
        assertStatus(await browser.confirm(link.id, { matches: true }), 'accepted');
      });

      it('enter_code: the phone’s code logs in, once; a wrong one first leaves tries_left', async () => {
        const { site, browser, login } = await loginAccepted();
        const wrong = assertConfirm(
          await browser.confirm(login.id, { code: otherThan(site.phoneCode()) }),
          'enter_code',
        );
        assert.equal(wrong.tries_left, 2);
        const accepted = assertStatus(
          await browser.confirm(login.id, { code: site.phoneCode() }),
          'accepted',
        );
        assert.equal(typeof accepted.redirect_to, 'string');
        elapse(site, login.interval);
        assertError(await browser.poll(login.id), 'not_found');
      });

      it('enter_code: three wrong codes end the login: denied, and the right one then does nothing', async () => {
        const { site, browser, login } = await loginAccepted();
        const wrong = { code: otherThan(site.phoneCode()) };
        assert.equal(
          assertConfirm(await browser.confirm(login.id, wrong), 'enter_code').tries_left,
          2,
        );
        assert.equal(
          assertConfirm(await browser.confirm(login.id, wrong), 'enter_code').tries_left,
          1,
        );
        assertStatus(await browser.confirm(login.id, wrong), 'denied');
        assertError(await browser.confirm(login.id, { code: site.phoneCode() }), 'invalid_request');
        elapse(site, login.interval);
        assertStatus(await browser.poll(login.id), 'denied');
      });

      it('enter_code: an answer instead of a code, or an outsider’s code, changes nothing', async () => {
        const { site, browser, login } = await loginAccepted();
        assertError(await browser.confirm(login.id, { matches: true }), 'invalid_request');
        assertError(await browser.confirm(login.id, { code: '12345' }), 'invalid_request');
        const outsider = new ContractBrowser(site, '203.0.113.9');
        assertError(await outsider.confirm(login.id, { code: site.phoneCode() }), 'not_found');
        assertStatus(await browser.confirm(login.id, { code: site.phoneCode() }), 'accepted');
      });
    });

    describe('the binding cookie', () => {
      it('without it, with another browser’s, or for an unknown id, a poll gets the same 404', async () => {
        const site = await open('pending');
        const victim = new ContractBrowser(site);
        const attacker = new ContractBrowser(site, '203.0.113.9');
        const noCookie = new ContractBrowser(site, '203.0.113.10');
        assertStarted(await attacker.start()); // the attacker has a binding cookie of their own
        const login = assertStarted(await victim.start());

        const unknown = await victim.poll(UNKNOWN_ID);
        assertError(unknown, 'not_found');
        for (const intruder of [attacker, noCookie]) {
          const polled = await intruder.poll(login.id);
          assertError(polled, 'not_found');
          assert.deepEqual(polled.body, unknown.body, 'the same answer as for an unknown id');
        }
        assertStatus(await victim.poll(login.id), 'pending');
      });
    });
  });
}
