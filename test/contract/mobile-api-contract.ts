/*
 * The mobile API's contract (src/protocol: mobile-api-contract.ts, mobile-api-refusals.ts) as one
 * suite, run against every side that speaks it: the reference Token Server
 * (mobile-api-token-server.node.test.ts) and the MSW mock, in Node (mobile-api-mock.node.test.ts)
 * and in browsers under MSW's service worker (mobile-api-mock.browser.test.ts). Each case is
 * what a phone sends and what it must get back: every success in its exact shape, every refusal
 * with its status, `error` and `error_code`, and what the refusal left unchanged.
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, it } from '#spec';
import { FakePasskeyAuthenticator } from '../../src/mocks/index.js';
import {
  fromBase64Url,
  MOBILE_API_ENDPOINTS,
  MOBILE_API_MAX_BODY_BYTES,
  MOBILE_API_REFUSALS,
  mobileApiPath,
  MobileApiErrorBody,
  NUMBER_MATCH_CHOICE_COUNT,
  PRESENCE_TRIES,
  shownDigest,
  SIGNATURE_HEADERS,
  TRANSACTION_ID_PATTERN,
  toBase64Url,
  type EnrollmentPayload,
  type EnrollmentStatus,
  type LoginStatus,
  type MobileApiEndpoint,
  type MobileApiRefusalCode,
  type MobileRedeemResponse,
  type RequesterPlace,
  userVerificationChallenge,
} from '../../src/protocol/index.js';
import { ContractPhone, type CallOptions } from './mobile-api-phone.js';

/** A login the side started, as a website would. */
export interface SideLogin {
  readonly transactionId: string;
  readonly otp: string;
  /** The number the website shows, for a number-matching login. */
  readonly numberMatchCode?: string;
}

/** One implementation of the mobile API, and what the suite needs to drive it. */
export interface MobileApiSide {
  /** What the SDK's `tokenServerUrl` would be. */
  readonly tokenServerUrl: string;
  readonly clockSkewMs: number;
  readonly loginTimeToLiveMs: number;
  readonly enrollmentTimeToLiveMs: number;
  /** The side's clock, ms since the epoch; phones sign with it. */
  now(): number;
  /** Moves the side's clock on. */
  advance(ms: number): void;
  fetch(request: Request): Promise<Response>;
  /**
   * Where the browser of the side's logins seems to be, as its IP database says (the phones of
   * the suite have no place that the side knows: `distance_km` is null); null without one.
   */
  readonly browserPlace: RequesterPlace | null;
  /** A "Link your phone" code for `userId`, as a website starts it. */
  enrollmentCode(userId: string, displayName?: string): Promise<EnrollmentPayload>;
  /** Where the link of a code stands, as the linking page learns it; undefined if unknown. */
  linkState(
    enrollmentId: string,
  ): Promise<{ status: EnrollmentStatus; compareCode?: string } | undefined>;
  /**
   * The website's user answered "Does your phone show this code?" for a used code: `matches`
   * confirms the link, otherwise the phone that used the code is revoked. Fails if the link does
   * not wait for it.
   */
  confirmLink(enrollmentId: string, matches: boolean): Promise<void>;
  /**
   * A login, as a website starts it: with number matching, for one user (second factor), or of
   * a type that always asks for proof of presence.
   */
  startLogin(options?: {
    numberMatching?: boolean;
    userId?: string;
    proofOfPresence?: boolean;
    /** A type whose accept needs the user verified by the phone's passkey. */
    userVerification?: 'required' | 'preferred';
  }): Promise<SideLogin>;
  /** What the website would see. */
  loginState(transactionId: string): Promise<LoginStatus | undefined>;
  /**
   * The browser's user types a code for a login that awaits proof of presence, and the website
   * passes it on; resolves to the login's state afterwards.
   */
  typePresenceCode(transactionId: string, code: string): Promise<LoginStatus | undefined>;
  /** The website revokes a linked phone. */
  revokeDevice(deviceId: string): Promise<void>;
  /** From now on, this caller is over the rate limit. */
  exceedRateLimit(): Promise<void>;
  /**
   * The scanner app's origin, one of the side's app origins: the phones' passkey calls carry it
   * as `Origin`, and their passkeys are made and used there.
   */
  readonly appOrigin: string;
  /** Whether the website's device list says the device verifies its user (has a passkey). */
  userVerifying(deviceId: string): Promise<boolean>;
  close(): Promise<void>;
}

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const NEVER_ISSUED = '0123456789abcdef0123456789abcdef';
/** A well-formed transaction id (a UUID v4) that no login ever had. */
const NEVER_ISSUED_TRANSACTION = '3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834';
/** A well-formed `shown` digest of no details a phone was sent. */
const NEVER_SHOWN = 'e'.repeat(64);

type AnswerOf<E extends MobileApiEndpoint> = v.InferOutput<
  (typeof MOBILE_API_ENDPOINTS)[E]['response']
>;

/** Checks a success: the endpoint's status, JSON of its schema, and no field the schema lacks. */
async function expectAnswer<E extends MobileApiEndpoint>(
  response: Response,
  endpoint: E,
): Promise<AnswerOf<E>> {
  const body: unknown = await response.json();
  const { status, response: schema } = MOBILE_API_ENDPOINTS[endpoint];
  expect(response.status, `${endpoint}: ${JSON.stringify(body)}`).to.equal(status);
  expect(response.headers.get('Content-Type')).to.match(/^application\/json\b/);
  const exact = v.safeParse(v.strictObject(schema.entries as v.ObjectEntries), body);
  const issues = exact.issues?.map((issue) => `${v.getDotPath(issue) ?? ''}: ${issue.message}`);
  expect(issues, `${endpoint} answered ${JSON.stringify(body)}`).to.equal(undefined);
  return body as AnswerOf<E>;
}

/** Checks a refusal: status, `error` and `error_code` of the table, and the body's exact shape. */
async function expectRefusal(response: Response, code: MobileApiRefusalCode): Promise<void> {
  const body = (await response.json()) as Record<string, unknown>;
  const entry = MOBILE_API_REFUSALS[code];
  expect(
    { status: response.status, error: body.error, error_code: body.error_code },
    `expected ${code}, got ${JSON.stringify(body)}`,
  ).to.deep.equal({ status: entry.status, error: entry.error, error_code: entry.errorCode });
  expect(v.is(v.strictObject(MobileApiErrorBody.entries), body), JSON.stringify(body)).to.equal(
    true,
  );
  expect(response.headers.get('Content-Type')).to.match(/^application\/json\b/);
}

/** Registers the suite for the side that `createSide` makes afresh for every case. */
export function mobileApiContract(createSide: () => Promise<MobileApiSide>): void {
  let side: MobileApiSide;

  beforeEach(async () => {
    side = await createSide();
  });
  afterEach(async () => {
    await side.close();
  });

  function urlOf(endpoint: MobileApiEndpoint, id: string): string {
    return `${side.tokenServerUrl}${mobileApiPath(endpoint, id)}`;
  }

  /** A signed call, made now on the side's clock unless the options say otherwise. */
  async function signed(
    phone: ContractPhone,
    endpoint: MobileApiEndpoint,
    id: string,
    body: unknown,
    options: Partial<CallOptions> = {},
  ): Promise<Request> {
    return phone.call(urlOf(endpoint, id), body, { timestamp: side.now(), ...options });
  }

  async function send(
    phone: ContractPhone,
    endpoint: MobileApiEndpoint,
    id: string,
    body: unknown,
    options: Partial<CallOptions> = {},
  ): Promise<Response> {
    return side.fetch(await signed(phone, endpoint, id, body, options));
  }

  function enrollBody(code: EnrollmentPayload, phone: ContractPhone, change = {}): object {
    return { secret: code.secret, public_key: phone.publicJwk, device_name: 'Pixel 8', ...change };
  }

  /** A phone that used a code the side made for `userId`; the website has not confirmed it. */
  async function pendingPhone(
    userId = ALICE,
  ): Promise<{ phone: ContractPhone; code: EnrollmentPayload; compareCode: string }> {
    const phone = await ContractPhone.create();
    const code = await side.enrollmentCode(userId);
    const linked = await expectAnswer(
      await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone)),
      'enroll',
    );
    phone.deviceId = linked.device_id;
    return { phone, code, compareCode: linked.compare_code };
  }

  /** A phone linked to `userId` through a code the side made, confirmed on the website. */
  async function linkedPhone(userId = ALICE): Promise<ContractPhone> {
    const { phone, code } = await pendingPhone(userId);
    await side.confirmLink(code.enrollmentId, true);
    return phone;
  }

  /** A login that `phone` has redeemed, with the digest of what it was shown. */
  async function redeemedBy(
    phone: ContractPhone,
    options?: {
      numberMatching?: boolean;
      proofOfPresence?: boolean;
      userVerification?: 'required' | 'preferred';
    },
  ): Promise<
    SideLogin & {
      details: MobileRedeemResponse;
      shown: string;
      choices: readonly string[] | undefined;
    }
  > {
    const login = await side.startLogin(options);
    const details = await expectAnswer(
      await send(phone, 'redeem', login.transactionId, { otp: login.otp }),
      'redeem',
    );
    return {
      ...login,
      details,
      shown: await shownDigest(details),
      choices: details.number_match_choices,
    };
  }

  describe('enroll: POST /enrollments/{enrollment_id}', () => {
    it('links the phone to the user of the code, with the name the website gave the account', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE, 'Alice Example');
      const response = await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone));
      const linked = await expectAnswer(response, 'enroll');
      expect(linked.user_id).to.equal(ALICE);
      expect(linked.display_name).to.equal('Alice Example');
      // The new device id signs the next call, once the website confirmed the link.
      phone.deviceId = linked.device_id;
      await side.confirmLink(code.enrollmentId, true);
      const login = await side.startLogin();
      const body = { otp: login.otp };
      await expectAnswer(await send(phone, 'redeem', login.transactionId, body), 'redeem');
    });

    it('answers display_name null when the website gave no name', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const response = await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone));
      expect((await expectAnswer(response, 'enroll')).display_name).to.equal(null);
    });

    it('takes ext and key_ops beside the key, as WebCrypto exports them', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      // Firefox's export also has alg (ES256), which the API refuses: the SDK sends only the key.
      const publicKey = { ...phone.publicJwk, ext: true, key_ops: ['verify'] };
      const body = enrollBody(code, phone, { public_key: publicKey });
      await expectAnswer(await send(phone, 'enroll', code.enrollmentId, body), 'enroll');
    });

    it('uses a code once: another phone then gets device_already_enrolled', async () => {
      const first = await ContractPhone.create();
      const second = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      await expectAnswer(
        await send(first, 'enroll', code.enrollmentId, enrollBody(code, first)),
        'enroll',
      );
      const again = await send(second, 'enroll', code.enrollmentId, enrollBody(code, second));
      await expectRefusal(again, 'device_already_enrolled');
    });

    it('refuses an unknown code, a wrong secret or an id that is not one, and the code still works', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const body = enrollBody(code, phone);
      await expectRefusal(await send(phone, 'enroll', NEVER_ISSUED, body), 'request_not_found');
      const wrongSecret = enrollBody(code, phone, { secret: NEVER_ISSUED });
      await expectRefusal(
        await send(phone, 'enroll', code.enrollmentId, wrongSecret),
        'request_not_found',
      );
      const upperCase = code.enrollmentId.toUpperCase();
      await expectRefusal(await send(phone, 'enroll', upperCase, body), 'request_not_found');
      await expectAnswer(await send(phone, 'enroll', code.enrollmentId, body), 'enroll');
    });

    it('refuses a code that expired with request_expired', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      side.advance(side.enrollmentTimeToLiveMs);
      const response = await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone));
      await expectRefusal(response, 'request_expired');
    });

    it('refuses a public key that is not a P-256 public key as a bad signature', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const { x = '', y = '' } = phone.publicJwk;
      const keys: Record<string, unknown> = {
        'a private part (d)': { ...phone.publicJwk, d: x },
        'another member (kid)': { ...phone.publicJwk, kid: 'phone-1' },
        'another member (alg)': { ...phone.publicJwk, alg: 'ES256' },
        'a short x': { ...phone.publicJwk, x: x.slice(1) },
        'a long y': { ...phone.publicJwk, y: `${y}A` },
        'another curve': { ...phone.publicJwk, crv: 'P-384' },
        'another key type': { ...phone.publicJwk, kty: 'OKP' },
        'a point off the curve': { ...phone.publicJwk, y: x },
        'no key at all': undefined,
        'a string': 'not a key',
      };
      for (const [what, publicKey] of Object.entries(keys)) {
        const body = enrollBody(code, phone, { public_key: publicKey });
        const response = await send(phone, 'enroll', code.enrollmentId, body);
        expect(response.status, what).to.equal(401);
        await expectRefusal(response, 'invalid_signature');
      }
      // None of them used up the code.
      const body = enrollBody(code, phone);
      await expectAnswer(await send(phone, 'enroll', code.enrollmentId, body), 'enroll');
    });

    it('refuses a body that is not JSON, or of another shape, with invalid_body', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const { secret } = code;
      const bodies: Record<string, Partial<CallOptions> & { body?: unknown }> = {
        'not JSON': { rawBody: '{"secret":' },
        'not UTF-8': { rawBody: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]) },
        'an array': { body: [] },
        'an unknown field': { body: enrollBody(code, phone, { user_id: ALICE }) },
        'no secret': { body: { public_key: phone.publicJwk, device_name: 'Pixel 8' } },
        'an upper-case secret': { body: enrollBody(code, phone, { secret: secret.toUpperCase() }) },
        'an empty device name': { body: enrollBody(code, phone, { device_name: '' }) },
        'a reversed device name': { body: enrollBody(code, phone, { device_name: 'a\u202Eb' }) },
        'a padded device name': { body: enrollBody(code, phone, { device_name: ' Pixel' }) },
        'a bad body and a bad key': {
          body: enrollBody(code, phone, { device_name: '', public_key: { kty: 'EC' } }),
        },
      };
      for (const [what, { body, ...options }] of Object.entries(bodies)) {
        const response = await send(phone, 'enroll', code.enrollmentId, body, options);
        expect(response.status, what).to.equal(400);
        await expectRefusal(response, 'invalid_body');
      }
      await expectAnswer(
        await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone)),
        'enroll',
      );
    });

    it('checks the body before the signature, unlike the other calls', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const unsigned = { headers: { [SIGNATURE_HEADERS.signature]: null } };
      const badBody = enrollBody(code, phone, { secret: 'nope' });
      await expectRefusal(
        await send(phone, 'enroll', code.enrollmentId, badBody, unsigned),
        'invalid_body',
      );
      await expectRefusal(
        await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone), unsigned),
        'invalid_signature',
      );
    });

    it('refuses an enrollment signed by another key than the one it links', async () => {
      const phone = await ContractPhone.create();
      const other = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const response = await send(other, 'enroll', code.enrollmentId, enrollBody(code, phone));
      await expectRefusal(response, 'invalid_signature');
    });

    it('refuses a replayed enrollment as a bad signature, before it looks at the code', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const request = await signed(phone, 'enroll', code.enrollmentId, enrollBody(code, phone));
      const replay = request.clone();
      await expectAnswer(await side.fetch(request), 'enroll');
      await expectRefusal(await side.fetch(replay), 'invalid_signature');
    });
  });

  describe('preview: POST /enrollments/{enrollment_id}/preview', () => {
    it('names the account and the site before the phone links, and changes nothing', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE, 'Alice Example');
      const madeAt = side.now();
      const body = { secret: code.secret, public_key: phone.publicJwk };
      const preview = await expectAnswer(
        await send(phone, 'previewEnrollment', code.enrollmentId, body),
        'previewEnrollment',
      );
      expect(preview.user_id).to.equal(ALICE);
      expect(preview.display_name).to.equal('Alice Example');
      expect(Date.parse(preview.expires_at)).to.equal(madeAt + side.enrollmentTimeToLiveMs);
      // Asked again, as a user who looks twice: the same, and the code is still unused.
      const again = await expectAnswer(
        await send(phone, 'previewEnrollment', code.enrollmentId, body),
        'previewEnrollment',
      );
      expect(again).to.deep.equal(preview);
      expect((await side.linkState(code.enrollmentId))?.status).to.equal('pending');
      const linked = await expectAnswer(
        await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone)),
        'enroll',
      );
      expect(linked.site).to.equal(preview.site);
    });

    it('refuses what the link would refuse: an unknown code, a wrong secret, a used or expired code', async () => {
      const phone = await ContractPhone.create();
      const code = await side.enrollmentCode(ALICE);
      const body = { secret: code.secret, public_key: phone.publicJwk };
      const previewOf = (id: string, change = {}) =>
        send(phone, 'previewEnrollment', id, { ...body, ...change });
      await expectRefusal(await previewOf(NEVER_ISSUED), 'request_not_found');
      await expectRefusal(
        await previewOf(code.enrollmentId, { secret: NEVER_ISSUED }),
        'request_not_found',
      );
      await expectRefusal(
        await send(await ContractPhone.create(), 'previewEnrollment', code.enrollmentId, body),
        'invalid_signature',
      );
      await expectRefusal(
        await previewOf(code.enrollmentId, { device_name: 'Pixel 8' }),
        'invalid_body',
      );
      await expectAnswer(
        await send(phone, 'enroll', code.enrollmentId, enrollBody(code, phone)),
        'enroll',
      );
      await expectRefusal(await previewOf(code.enrollmentId), 'device_already_enrolled');
      const later = await side.enrollmentCode(ALICE);
      side.advance(side.enrollmentTimeToLiveMs);
      await expectRefusal(
        await send(phone, 'previewEnrollment', later.enrollmentId, {
          secret: later.secret,
          public_key: phone.publicJwk,
        }),
        'request_expired',
      );
    });
  });

  describe('a link the website confirms', () => {
    it('shows the same code on the phone and on the linking page', async () => {
      const { code, compareCode } = await pendingPhone();
      expect(compareCode).to.match(/^\d{6}$/);
      expect(await side.linkState(code.enrollmentId)).to.deep.equal({
        status: 'confirm',
        compareCode,
      });
    });

    it('answers no login (link_not_confirmed) until the website confirms it', async () => {
      const { phone, code } = await pendingPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, body),
        'link_not_confirmed',
      );
      await expectRefusal(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: NEVER_SHOWN }),
        'link_not_confirmed',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
      await side.confirmLink(code.enrollmentId, true);
      expect((await side.linkState(code.enrollmentId))?.status).to.equal('accepted');
      await expectAnswer(await send(phone, 'redeem', login.transactionId, body), 'redeem');
    });

    it('revokes the phone when the website’s user says the codes differ', async () => {
      const { phone, code } = await pendingPhone();
      await side.confirmLink(code.enrollmentId, false);
      expect((await side.linkState(code.enrollmentId))?.status).to.equal('denied');
      const login = await side.startLogin();
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, { otp: login.otp }),
        'device_deregistered',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });
  });

  describe('redeem: POST /transactions/{transaction_id}/redeem', () => {
    it('knows each login by a random UUID (version 4, lowercase), as Onegini documents it', async () => {
      const ids = [
        (await side.startLogin()).transactionId,
        (await side.startLogin()).transactionId,
      ];
      for (const id of ids) expect(id).to.match(TRANSACTION_ID_PATTERN);
      expect(ids[0]).not.to.equal(ids[1]);
    });

    it("gives the phone the request's details, and the login is scanned", async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const requestedAt = side.now();
      expect(await side.loginState(login.transactionId)).to.equal('pending');
      const details = await expectAnswer(
        await send(phone, 'redeem', login.transactionId, { otp: login.otp }),
        'redeem',
      );
      expect(details.transaction_id).to.equal(login.transactionId);
      expect(Date.parse(details.requested_at)).to.equal(requestedAt);
      expect(Date.parse(details.expires_at)).to.equal(requestedAt + side.loginTimeToLiveMs);
      expect(details.number_match_choices).to.equal(undefined);
      expect(details.presence_required).to.equal(false);
      expect(details.place).to.deep.equal(side.browserPlace);
      expect(await side.loginState(login.transactionId)).to.equal('scanned');
    });

    it('gives the phone that redeemed the same details again, and any other phone already_handled', async () => {
      const phone = await linkedPhone();
      const other = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      const first = await expectAnswer(
        await send(phone, 'redeem', login.transactionId, body),
        'redeem',
      );
      const again = await expectAnswer(
        await send(phone, 'redeem', login.transactionId, body),
        'redeem',
      );
      expect(again).to.deep.equal(first);
      await expectRefusal(
        await send(other, 'redeem', login.transactionId, body),
        'already_handled',
      );
    });

    it('refuses a wrong OTP as unknown (request_not_found), and the login stays pending', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const wrong = { otp: login.otp.replace(/^./, (digit) => (digit === 'f' ? '0' : 'f')) };
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, wrong),
        'request_not_found',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses an unknown login, or an id that is not one, as request_not_found', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      await expectRefusal(
        await send(phone, 'redeem', NEVER_ISSUED_TRANSACTION, body),
        'request_not_found',
      );
      const upperCase = login.transactionId.toUpperCase();
      await expectRefusal(await send(phone, 'redeem', upperCase, body), 'request_not_found');
      await expectRefusal(await send(phone, 'redeem', 'x', body), 'request_not_found');
      const withoutHyphens = login.transactionId.replaceAll('-', '');
      await expectRefusal(await send(phone, 'redeem', withoutHyphens, body), 'request_not_found');
    });

    it('refuses an OTP that is not 32 lowercase hex, or a body of another shape, with invalid_body', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const bodies: Record<string, Partial<CallOptions> & { body?: unknown }> = {
        'an upper-case OTP': { body: { otp: login.otp.toUpperCase() } },
        'a short OTP': { body: { otp: login.otp.slice(1) } },
        'a number': { body: { otp: 42 } },
        'no OTP': { body: {} },
        'an unknown field': { body: { otp: login.otp, device: 'x' } },
        'not JSON': { rawBody: `otp=${login.otp}` },
      };
      for (const [what, { body, ...options }] of Object.entries(bodies)) {
        const response = await send(phone, 'redeem', login.transactionId, body, options);
        expect(response.status, what).to.equal(400);
        await expectRefusal(response, 'invalid_body');
      }
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses a login that expired with request_expired', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      side.advance(side.loginTimeToLiveMs);
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, { otp: login.otp }),
        'request_expired',
      );
      expect(await side.loginState(login.transactionId)).to.equal('expired');
    });

    it("offers the number-matching choices: distinct two-digit numbers, the website's among them", async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone, { numberMatching: true });
      expect(login.numberMatchCode).to.match(/^\d{2}$/);
      expect(login.choices).to.have.length(NUMBER_MATCH_CHOICE_COUNT);
      expect(login.choices).to.include(login.numberMatchCode);
      for (const choice of login.choices ?? []) expect(Number(choice)).to.be.within(10, 99);
    });

    it('lets only a phone of the named user redeem a second-factor login (wrong_user)', async () => {
      const alices = await linkedPhone(ALICE);
      const bobs = await linkedPhone(BOB);
      const login = await side.startLogin({ userId: ALICE });
      const body = { otp: login.otp };
      await expectRefusal(await send(bobs, 'redeem', login.transactionId, body), 'wrong_user');
      expect(await side.loginState(login.transactionId)).to.equal('pending');
      await expectAnswer(await send(alices, 'redeem', login.transactionId, body), 'redeem');
    });
  });

  describe('answer: POST /transactions/{transaction_id}/answer', () => {
    it('records an accept', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const answered = await expectAnswer(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: login.shown }),
        'answer',
      );
      expect(answered).to.deep.equal({ status: 'accepted' });
      expect(await side.loginState(login.transactionId)).to.equal('accepted');
    });

    it('records a deny', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const answered = await expectAnswer(
        await send(phone, 'answer', login.transactionId, { answer: 'deny', shown: login.shown }),
        'answer',
      );
      expect(answered).to.deep.equal({ status: 'denied' });
      expect(await side.loginState(login.transactionId)).to.equal('denied');
    });

    it('answers once: a second answer is already_handled, and the first stands', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const id = login.transactionId;
      const { shown } = login;
      await expectAnswer(await send(phone, 'answer', id, { answer: 'accept', shown }), 'answer');
      for (const answer of ['deny', 'accept']) {
        await expectRefusal(await send(phone, 'answer', id, { answer, shown }), 'already_handled');
      }
      await expectRefusal(await send(phone, 'redeem', id, { otp: login.otp }), 'already_handled');
      expect(await side.loginState(id)).to.equal('accepted');
    });

    it('refuses an answer before the redeem with not_in_progress', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      await expectRefusal(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: NEVER_SHOWN }),
        'not_in_progress',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it("refuses another phone's answer as already_handled", async () => {
      const phone = await linkedPhone();
      const other = await linkedPhone();
      const login = await redeemedBy(phone);
      await expectRefusal(
        await send(other, 'answer', login.transactionId, { answer: 'accept', shown: login.shown }),
        'already_handled',
      );
      expect(await side.loginState(login.transactionId)).to.equal('scanned');
    });

    it('refuses an answer after the login expired with request_expired', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      side.advance(side.loginTimeToLiveMs);
      await expectRefusal(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: login.shown }),
        'request_expired',
      );
      expect(await side.loginState(login.transactionId)).to.equal('expired');
    });

    it('refuses an answer for an unknown login as request_not_found', async () => {
      const phone = await linkedPhone();
      await expectRefusal(
        await send(phone, 'answer', NEVER_ISSUED_TRANSACTION, {
          answer: 'accept',
          shown: NEVER_SHOWN,
        }),
        'request_not_found',
      );
    });

    it('accepts with the right number; a decoy or no number is recorded as denied', async () => {
      const phone = await linkedPhone();
      const picks = {
        'the right number': { pick: 'code', status: 'accepted' },
        'a decoy': { pick: 'decoy', status: 'denied' },
        'no number': { pick: 'none', status: 'denied' },
      } as const;
      for (const [what, { pick, status }] of Object.entries(picks)) {
        const login = await redeemedBy(phone, { numberMatching: true });
        const decoy = login.choices?.find((choice) => choice !== login.numberMatchCode);
        const number = { code: login.numberMatchCode, decoy, none: undefined }[pick];
        const response = await send(phone, 'answer', login.transactionId, {
          answer: 'accept',
          number,
          shown: login.shown,
        });
        expect((await expectAnswer(response, 'answer')).status, what).to.equal(status);
        expect(await side.loginState(login.transactionId), what).to.equal(status);
      }
    });

    it('ignores a number on a login without number matching', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const response = await send(phone, 'answer', login.transactionId, {
        answer: 'accept',
        number: '12',
        shown: login.shown,
      });
      expect(await expectAnswer(response, 'answer')).to.deep.equal({ status: 'accepted' });
    });

    it('refuses an answer of another shape with invalid_body, and the login waits on', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const { shown } = login;
      const bodies: Record<string, unknown> = {
        'another answer': { answer: 'maybe', shown },
        'no answer': { number: '42', shown },
        'a one-digit number': { answer: 'accept', number: '7', shown },
        'a number as a number': { answer: 'accept', number: 42, shown },
        'an unknown field': { answer: 'accept', reason: 'x', shown },
        'no shown digest': { answer: 'accept' },
        'an upper-case shown digest': { answer: 'accept', shown: shown.toUpperCase() },
        'a short shown digest': { answer: 'accept', shown: shown.slice(1) },
      };
      for (const [what, body] of Object.entries(bodies)) {
        const response = await send(phone, 'answer', login.transactionId, body);
        expect(response.status, what).to.equal(400);
        await expectRefusal(response, 'invalid_body');
      }
      expect(await side.loginState(login.transactionId)).to.equal('scanned');
    });
  });

  describe("what the phone signs: the answer's shown digest", () => {
    it('refuses an answer to other details than the phone was sent (shown_mismatch), and records nothing', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone);
      const forged = [
        { ...login.details, message: 'Send 10,000 EUR to Mallory' },
        { ...login.details, same_network: !login.details.same_network },
        { ...login.details, presence_required: !login.details.presence_required },
      ];
      for (const details of forged) {
        const shown = await shownDigest(details);
        await expectRefusal(
          await send(phone, 'answer', login.transactionId, { answer: 'accept', shown }),
          'shown_mismatch',
        );
      }
      await expectRefusal(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: NEVER_SHOWN }),
        'shown_mismatch',
      );
      expect(await side.loginState(login.transactionId)).to.equal('scanned');
      await expectAnswer(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: login.shown }),
        'answer',
      );
      expect(await side.loginState(login.transactionId)).to.equal('accepted');
    });
  });

  describe('proof of presence', () => {
    /** A login of a type that always asks for it, accepted on the phone: the code it shows. */
    async function acceptedWithCode(phone: ContractPhone) {
      const login = await redeemedBy(phone, { proofOfPresence: true });
      expect(login.details.presence_required).to.equal(true);
      const answered = await expectAnswer(
        await send(phone, 'answer', login.transactionId, { answer: 'accept', shown: login.shown }),
        'answer',
      );
      expect(answered.status).to.equal('accepted');
      expect(answered.presence_code).to.match(/^\d{6}$/);
      return { ...login, code: answered.presence_code ?? '' };
    }

    it('gives the phone a code on Accept, and the login counts once the browser types it', async () => {
      const phone = await linkedPhone();
      const login = await acceptedWithCode(phone);
      expect(await side.loginState(login.transactionId)).to.equal('confirm');
      expect(await side.typePresenceCode(login.transactionId, login.code)).to.equal('accepted');
      expect(await side.loginState(login.transactionId)).to.equal('accepted');
    });

    it(`ends the login after ${PRESENCE_TRIES} wrong codes, and the right one then counts for nothing`, async () => {
      const phone = await linkedPhone();
      const login = await acceptedWithCode(phone);
      const wrong = String((Number(login.code) + 1) % 1_000_000).padStart(6, '0');
      const states = [];
      for (let attempt = 0; attempt < PRESENCE_TRIES; attempt += 1) {
        states.push(await side.typePresenceCode(login.transactionId, wrong));
      }
      expect(states).to.deep.equal([
        ...Array<string>(PRESENCE_TRIES - 1).fill('confirm'),
        'denied',
      ]);
      expect(await side.typePresenceCode(login.transactionId, login.code)).to.equal('denied');
    });

    it('answers once: the phone cannot deny or accept again while the browser types', async () => {
      const phone = await linkedPhone();
      const login = await acceptedWithCode(phone);
      for (const answer of ['deny', 'accept']) {
        await expectRefusal(
          await send(phone, 'answer', login.transactionId, { answer, shown: login.shown }),
          'already_handled',
        );
      }
      expect(await side.loginState(login.transactionId)).to.equal('confirm');
    });

    it('gives no code for a deny', async () => {
      const phone = await linkedPhone();
      const login = await redeemedBy(phone, { proofOfPresence: true });
      const answered = await expectAnswer(
        await send(phone, 'answer', login.transactionId, { answer: 'deny', shown: login.shown }),
        'answer',
      );
      expect(answered).to.deep.equal({ status: 'denied' });
      expect(await side.loginState(login.transactionId)).to.equal('denied');
    });
  });

  describe('user verification on Accept: passkeys', () => {
    /** A passkey call of `phone` about itself, from the app's origin. */
    function sendOwn(
      phone: ContractPhone,
      endpoint: 'passkeyOptions' | 'registerPasskey',
      body: unknown,
      deviceId = phone.deviceId,
    ): Promise<Response> {
      return send(phone, endpoint, deviceId, body, { headers: { Origin: side.appOrigin } });
    }

    /** `phone`'s passkey, made on `authenticator` with the side's options, and registered. */
    async function withPasskey(
      phone: ContractPhone,
      authenticator = new FakePasskeyAuthenticator({ origin: side.appOrigin }),
    ): Promise<FakePasskeyAuthenticator> {
      const { options } = await expectAnswer(
        await sendOwn(phone, 'passkeyOptions', {}),
        'passkeyOptions',
      );
      const registration = await authenticator.register(options);
      const registered = await expectAnswer(
        await sendOwn(phone, 'registerPasskey', { registration }),
        'registerPasskey',
      );
      expect(registered).to.deep.equal({ user_verifying: true });
      return authenticator;
    }

    /** An accept of `login` with `authenticator`'s assertion over `challenge`. */
    async function verifiedAccept(
      phone: ContractPhone,
      authenticator: FakePasskeyAuthenticator,
      login: { transactionId: string; shown: string },
      challenge?: string,
    ): Promise<Response> {
      const [credentialId = ''] = authenticator.credentialIds;
      const assertion = await authenticator.verify({
        challenge: challenge ?? (await userVerificationChallenge(login.transactionId, login.shown)),
        credentialId,
      });
      return send(phone, 'answer', login.transactionId, {
        answer: 'accept',
        shown: login.shown,
        user_verification: assertion,
      });
    }

    it('gives a phone the options of a platform passkey that verifies its user, a new challenge each time', async () => {
      const phone = await linkedPhone();
      const first = await expectAnswer(
        await sendOwn(phone, 'passkeyOptions', {}),
        'passkeyOptions',
      );
      const second = await expectAnswer(
        await sendOwn(phone, 'passkeyOptions', {}),
        'passkeyOptions',
      );
      expect(first.options.authenticatorSelection).to.include({
        authenticatorAttachment: 'platform',
        userVerification: 'required',
      });
      expect(first.options.pubKeyCredParams.map((param) => param.alg)).to.include(-7);
      expect(fromBase64Url(first.options.challenge)?.length).to.be.at.least(16);
      expect(second.options.challenge).to.not.equal(first.options.challenge);
    });

    it('registers the passkey of a phone whose link is still pending, and the website’s list says so', async () => {
      const { phone, code } = await pendingPhone();
      expect(await side.userVerifying(phone.deviceId)).to.equal(false);
      await withPasskey(phone);
      expect(await side.userVerifying(phone.deviceId)).to.equal(true);
      await side.confirmLink(code.enrollmentId, true);
      expect(await side.userVerifying(phone.deviceId)).to.equal(true);
    });

    it('refuses a registration over a challenge it did not issue, or issued already and used (passkey_registration_failed)', async () => {
      const phone = await linkedPhone();
      const authenticator = new FakePasskeyAuthenticator({ origin: side.appOrigin });
      const { options } = await expectAnswer(
        await sendOwn(phone, 'passkeyOptions', {}),
        'passkeyOptions',
      );
      const forged = await authenticator.register({
        ...options,
        challenge: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
      });
      await expectRefusal(
        await sendOwn(phone, 'registerPasskey', { registration: forged }),
        'passkey_registration_failed',
      );
      expect(await side.userVerifying(phone.deviceId)).to.equal(false);

      const registration = await authenticator.register(options);
      await expectAnswer(
        await sendOwn(phone, 'registerPasskey', { registration }),
        'registerPasskey',
      );
      await expectRefusal(
        await sendOwn(phone, 'registerPasskey', { registration }),
        'passkey_registration_failed',
      );
    });

    it('answers a phone about itself only: another device’s id in the path is request_not_found', async () => {
      const phone = await linkedPhone();
      const other = await linkedPhone(BOB);
      await expectRefusal(
        await sendOwn(phone, 'passkeyOptions', {}, other.deviceId),
        'request_not_found',
      );
      await expectRefusal(
        await sendOwn(phone, 'passkeyOptions', {}, 'not-a-device'),
        'request_not_found',
      );
    });

    it('tells the phone at the redeem whether an accept needs its user verified', async () => {
      const phone = await linkedPhone();
      expect((await redeemedBy(phone)).details.user_verification).to.equal('none');
      const required = await redeemedBy(phone, { userVerification: 'required' });
      expect(required.details.user_verification).to.equal('required');
      const preferred = await redeemedBy(phone, { userVerification: 'preferred' });
      expect(preferred.details.user_verification).to.equal('preferred');
    });

    it('records an accept that carries the passkey’s assertion over the login and what was shown', async () => {
      const phone = await linkedPhone();
      const authenticator = await withPasskey(phone);
      const login = await redeemedBy(phone, { userVerification: 'required' });
      const answered = await expectAnswer(
        await verifiedAccept(phone, authenticator, login),
        'answer',
      );
      expect(answered).to.deep.equal({ status: 'accepted' });
      expect(await side.loginState(login.transactionId)).to.equal('accepted');
    });

    it('refuses an accept without an assertion where the type requires one (user_verification_required); the login waits on', async () => {
      const phone = await linkedPhone();
      const withoutPasskey = await redeemedBy(phone, { userVerification: 'required' });
      const body = { answer: 'accept', shown: withoutPasskey.shown };
      await expectRefusal(
        await send(phone, 'answer', withoutPasskey.transactionId, body),
        'user_verification_required',
      );
      expect(await side.loginState(withoutPasskey.transactionId)).to.equal('scanned');
      // A deny needs no verification.
      const denied = await expectAnswer(
        await send(phone, 'answer', withoutPasskey.transactionId, {
          answer: 'deny',
          shown: withoutPasskey.shown,
        }),
        'answer',
      );
      expect(denied).to.deep.equal({ status: 'denied' });
    });

    it('under preferred, lets a phone without a passkey accept with a tap, but not one with a passkey', async () => {
      const tapping = await linkedPhone();
      const tapped = await redeemedBy(tapping, { userVerification: 'preferred' });
      await expectAnswer(
        await send(tapping, 'answer', tapped.transactionId, {
          answer: 'accept',
          shown: tapped.shown,
        }),
        'answer',
      );
      expect(await side.loginState(tapped.transactionId)).to.equal('accepted');

      const verifying = await linkedPhone(BOB);
      await withPasskey(verifying);
      const login = await redeemedBy(verifying, { userVerification: 'preferred' });
      await expectRefusal(
        await send(verifying, 'answer', login.transactionId, {
          answer: 'accept',
          shown: login.shown,
        }),
        'user_verification_required',
      );
      expect(await side.loginState(login.transactionId)).to.equal('scanned');
    });

    it('refuses an assertion over another login or other details, without the user verified, or of another phone (user_verification_failed), and records nothing', async () => {
      const phone = await linkedPhone();
      const authenticator = await withPasskey(phone);
      const login = await redeemedBy(phone, { userVerification: 'required' });
      const otherLogin = await userVerificationChallenge(NEVER_ISSUED_TRANSACTION, login.shown);
      const otherDetails = await userVerificationChallenge(login.transactionId, NEVER_SHOWN);
      for (const challenge of [otherLogin, otherDetails]) {
        await expectRefusal(
          await verifiedAccept(phone, authenticator, login, challenge),
          'user_verification_failed',
        );
      }
      authenticator.userAction = 'not-verified';
      await expectRefusal(
        await verifiedAccept(phone, authenticator, login),
        'user_verification_failed',
      );
      const stranger = await withPasskey(
        await linkedPhone(BOB),
        new FakePasskeyAuthenticator({ origin: side.appOrigin }),
      );
      await expectRefusal(await verifiedAccept(phone, stranger, login), 'user_verification_failed');
      expect(await side.loginState(login.transactionId)).to.equal('scanned');

      authenticator.userAction = 'verify';
      await expectAnswer(await verifiedAccept(phone, authenticator, login), 'answer');
      expect(await side.loginState(login.transactionId)).to.equal('accepted');
    });
  });

  describe('signatures (on redeem; the answer is checked alike)', () => {
    it('refuses a call without a device id, or with one that is not 32 lowercase hex', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      for (const deviceId of [null, '', phone.deviceId.toUpperCase(), `${phone.deviceId}0`]) {
        const headers = { [SIGNATURE_HEADERS.deviceId]: deviceId };
        const response = await send(phone, 'redeem', login.transactionId, body, { headers });
        await expectRefusal(response, 'invalid_signature');
      }
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses a device it never linked, and one the website revoked, with device_deregistered', async () => {
      const stranger = await ContractPhone.create();
      stranger.deviceId = NEVER_ISSUED;
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      await expectRefusal(
        await send(stranger, 'redeem', login.transactionId, body),
        'device_deregistered',
      );
      await side.revokeDevice(phone.deviceId);
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, body),
        'device_deregistered',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses missing or malformed signature headers with invalid_signature', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      const der = toBase64Url(crypto.getRandomValues(new Uint8Array(71)));
      const headers: Record<string, Record<string, string | null>> = {
        'no timestamp': { [SIGNATURE_HEADERS.timestamp]: null },
        'a timestamp in seconds': {
          [SIGNATURE_HEADERS.timestamp]: String(Math.floor(side.now() / 1000)),
        },
        'no nonce': { [SIGNATURE_HEADERS.nonce]: null },
        'a short nonce': { [SIGNATURE_HEADERS.nonce]: 'abcdefghijklmno' },
        'a nonce of base64': { [SIGNATURE_HEADERS.nonce]: 'abcdefghijklmno+/' },
        'no signature': { [SIGNATURE_HEADERS.signature]: null },
        'a DER signature': { [SIGNATURE_HEADERS.signature]: der },
        'a padded signature': {
          [SIGNATURE_HEADERS.signature]: `${toBase64Url(new Uint8Array(64))}==`,
        },
      };
      for (const [what, changed] of Object.entries(headers)) {
        const response = await send(phone, 'redeem', login.transactionId, body, {
          headers: changed,
        });
        expect(response.status, what).to.equal(401);
        await expectRefusal(response, 'invalid_signature');
      }
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses a timestamp outside the clock skew, either way, with invalid_datetime, and uses up nothing', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const body = { otp: login.otp };
      const nonce = 'clock-test-nonce-0001';
      for (const offset of [-side.clockSkewMs - 1_000, side.clockSkewMs + 1_000]) {
        const response = await send(phone, 'redeem', login.transactionId, body, {
          timestamp: side.now() + offset,
          nonce,
        });
        await expectRefusal(response, 'invalid_datetime');
      }
      expect(await side.loginState(login.transactionId)).to.equal('pending');
      // Within the skew, and with the same nonce: it was not used up.
      const late = side.now() - side.clockSkewMs + 1_000;
      await expectAnswer(
        await send(phone, 'redeem', login.transactionId, body, { timestamp: late, nonce }),
        'redeem',
      );
    });

    it('refuses a signature by another key, over another body, or for another path', async () => {
      const phone = await linkedPhone();
      const impostor = await ContractPhone.create();
      impostor.deviceId = phone.deviceId;
      const login = await side.startLogin();
      const other = await side.startLogin();
      const body = { otp: login.otp };
      await expectRefusal(
        await send(impostor, 'redeem', login.transactionId, body),
        'invalid_signature',
      );
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, body, { signedBody: { otp: other.otp } }),
        'invalid_signature',
      );
      const otherPath = mobileApiPath('redeem', other.transactionId);
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, body, { signedPath: otherPath }),
        'invalid_signature',
      );
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('refuses a replayed call; a refused signature uses up no nonce', async () => {
      const phone = await linkedPhone();
      const impostor = await ContractPhone.create();
      impostor.deviceId = phone.deviceId;
      const login = await side.startLogin();
      const body = { otp: login.otp };
      const nonce = 'replay-test-nonce-0001';
      await expectRefusal(
        await send(impostor, 'redeem', login.transactionId, body, { nonce }),
        'invalid_signature',
      );
      const request = await signed(phone, 'redeem', login.transactionId, body, { nonce });
      const replay = request.clone();
      await expectAnswer(await side.fetch(request), 'redeem');
      await expectRefusal(await side.fetch(replay), 'invalid_signature');
    });
  });

  describe('every call', () => {
    it(`refuses a body over ${MOBILE_API_MAX_BODY_BYTES} bytes with request_too_large`, async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      const padded = (bytes: number) => {
        const start = `{"otp":"${login.otp}","padding":"`;
        return `${start}${'x'.repeat(bytes - start.length - 2)}"}`;
      };
      const atCap = padded(MOBILE_API_MAX_BODY_BYTES);
      expect(new TextEncoder().encode(atCap).length).to.equal(MOBILE_API_MAX_BODY_BYTES);
      // At the cap, the body is read (and refused for its unknown field).
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, undefined, { rawBody: atCap }),
        'invalid_body',
      );
      const overCap = padded(MOBILE_API_MAX_BODY_BYTES + 1);
      await expectRefusal(
        await send(phone, 'redeem', login.transactionId, undefined, { rawBody: overCap }),
        'request_too_large',
      );
      const code = await side.enrollmentCode(ALICE);
      const enrollment = await send(phone, 'enroll', code.enrollmentId, undefined, {
        rawBody: padded(MOBILE_API_MAX_BODY_BYTES + 1),
      });
      await expectRefusal(enrollment, 'request_too_large');
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });

    it('slows a caller down with 429, Retry-After and slow_down', async () => {
      const phone = await linkedPhone();
      const login = await side.startLogin();
      await side.exceedRateLimit();
      const response = await send(phone, 'redeem', login.transactionId, { otp: login.otp });
      expect(Number(response.headers.get('Retry-After'))).to.be.greaterThan(0);
      await expectRefusal(response, 'rate_limited');
      expect(await side.loginState(login.transactionId)).to.equal('pending');
    });
  });
}
