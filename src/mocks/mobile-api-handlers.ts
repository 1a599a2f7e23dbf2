import { http, HttpResponse, type RequestHandler } from 'msw';
import * as v from 'valibot';
import {
  decodeEnrollmentPayload,
  encodeCompactPayload,
  encodeQrText,
  Hex128,
  MatchNumber,
  MOBILE_API_BASE_PATH,
  MOBILE_API_ENDPOINTS,
  MOBILE_API_MAX_BODY_BYTES,
  MobileAnswerRequest,
  MobileApiRefusal,
  MobileRedeemRequest,
  numberMatchChoices,
  PasskeyOptionsRequest,
  PasskeyRegistrationRequest,
  parseMobileApiBody,
  parseDeviceIdParam,
  parseEnrollmentIdParam,
  parseTransactionIdParam,
  PRESENCE_TRIES,
  RequesterPlace,
  ShortCode,
  shownDigest,
  verifyDeviceCall,
  verifyEnrollmentCall,
  verifyEnrollmentPreviewCall,
  randomShortCode,
  webCryptoVerifier,
  type EnrollmentStatus,
  type KnownDevice,
  type MobileAnswerResponse,
  type MobileApiEndpoint,
  type MobileEnrollPreviewResponse,
  type MobileEnrollResponse,
  type MobileRedeemResponse,
  type SignatureCheckOptions,
  type SignedHttpRequest,
  type UserVerificationPolicy,
} from '../protocol/index.js';
import { MockPasskeys } from './mock-passkeys.js';
import { randomHex } from './mock-random.js';

/**
 * How the mocked Token Server answers the SDK (docs/token-server-api.md, "Mobile API"):
 * - `accept-confirmed`: like the real server: the answer the phone sends is recorded and confirmed;
 * - `deny`: every answer is recorded as a denial (`{"status": "denied"}`), whatever the phone sent;
 * - `expired`: every login code has expired when the phone redeems it (410, 10100);
 * - `expire-before-answer`: the code redeems, then the answer comes too late (410, 10100);
 * - `already-handled`: every login code was redeemed already by another phone (409, 9029);
 * - `number-matching`: the redeem offers three numbers; only `numberMatchCode` accepts;
 * - `network-failure`: every call fails as if the network were down;
 * - `rate-limited`: every call gets 429 (10101) with `Retry-After`;
 * - `device-deregistered`: every signed call gets 401 (9002), as after the website revoked the phone;
 * - `server-error`: every call gets 500 without an error code;
 * - `user-verification-failed`: every accept that carries a passkey assertion is refused as not
 *   verifying (401, 10105), as when the Token Server does not recognise the passkey.
 *
 * In every scenario the mock checks what the real server checks, with the same code (src/protocol's
 * mobile-api-checks.ts): the body cap, the request's shape, the signature (with the key the phone
 * enrolled through the mock), the clock skew, single-use nonces, OTPs and enrollment codes, links
 * the website has not confirmed (403, 10102), and that an answer signs what the phone was shown
 * (400, 10103). Passkeys (user verification on Accept) are checked as mock-passkeys.ts says:
 * the challenge, the passkey and the UV flag, not the WebAuthn signatures. test/contract/ runs
 * one suite against the mock (`accept-confirmed`) and the real server.
 */
export type MobileApiScenario =
  | 'accept-confirmed'
  | 'deny'
  | 'expired'
  | 'expire-before-answer'
  | 'already-handled'
  | 'number-matching'
  | 'network-failure'
  | 'rate-limited'
  | 'device-deregistered'
  | 'server-error'
  | 'user-verification-failed';

/**
 * When an accept needs proof of presence, as a login type of the Token Server says: `always`;
 * `unless_same_network`, unless the browser and the phone are on the same network
 * (`sameNetwork: true`); `never`.
 */
export type MockProofOfPresence = 'always' | 'unless_same_network' | 'never';

export interface MobileApiMockOptions {
  /** The SDK's `tokenServerUrl`. Default `https://token-server.mock`. */
  readonly tokenServerUrl?: string;
  /** Default `accept-confirmed`; may be changed later through `mock.scenario`. */
  readonly scenario?: MobileApiScenario;
  /** The login request's message. Default `Log in to Demo Bank`. */
  readonly message?: string;
  /** The site name. Default `Demo Bank`. */
  readonly site?: string;
  /** The browser that asks (to log in, or to link a phone). Default `Firefox 128`; null for "not recognised". */
  readonly browser?: string | null;
  /** Default `Windows 10`; null for "not recognised". */
  readonly os?: string | null;
  /** Default true; null for "not known". */
  readonly sameNetwork?: boolean | null;
  /**
   * Where that browser seems to be, as the Token Server's IP database would say (the wire's
   * shape: `{city, country, operator, distance_km}`). Default null: no IP database.
   */
  readonly place?: RequesterPlace | null;
  /** When an accept needs proof of presence. Default `never`, as the Token Server's login types. */
  readonly proofOfPresence?: MockProofOfPresence;
  /**
   * Whether an accept needs the user verified by the phone's passkey, as a login type of the
   * Token Server says: `required`, `preferred` (when the phone has a passkey) or `none`, the
   * default.
   */
  readonly userVerification?: UserVerificationPolicy;
  /**
   * The relying party id of the passkey options. Default: the host name of the calling page's
   * `Origin` (the app's own domain, where a real authenticator makes passkeys), else `localhost`.
   */
  readonly passkeyRpId?: string;
  /** How long the browser has to type the presence code after the accept, ms. Default 120 000. */
  readonly presenceTimeToLiveMs?: number;
  /** How long a login code lives, ms. Default 60 000. */
  readonly timeToLiveMs?: number;
  /** How long an enrollment code lives, ms. Default 300 000. */
  readonly enrollmentTimeToLiveMs?: number;
  /** How long the website has to confirm a link once a phone used the code, ms. Default 300 000. */
  readonly enrollmentConfirmTimeToLiveMs?: number;
  /**
   * Default false: as on the Token Server, a phone's link waits for the website's confirmation
   * (`mock.confirmLink(code)`), and until then its logins get 403 (10102). True: every link is
   * confirmed at once, as if the user had compared the codes, for tests about logins alone.
   */
  readonly autoConfirmLinks?: boolean;
  /** The user of every enrollment. Default `alice@example.com`. */
  readonly userId?: string;
  /** The name every enrollment gives the account, as a website may. Default none (null). */
  readonly displayName?: string | null;
  /** The right number for `number-matching`: two digits. Default `42`. */
  readonly numberMatchCode?: string;
  /** How far the phone's clock may be off, ms. Default 120 000. */
  readonly clockSkewMs?: number;
  /** The server's clock. Default `Date.now`. Its time goes out in every `Date` header. */
  readonly now?: () => number;
}

/** Options of one enrollment code; the mock's options are the defaults. */
export interface MockEnrollmentOptions {
  /** The user the code links the phone to. */
  readonly userId?: string;
  /** The name the website gives the account; null for none. */
  readonly displayName?: string | null;
}

/** Options of one login; the mock's options are the defaults. */
export interface MockLoginOptions {
  /** Number matching for this login, whatever the scenario: the right number (two digits). */
  readonly numberMatchCode?: string;
  /** Second factor: only a phone linked to this user may redeem (others get 403, 9021). */
  readonly userId?: string;
  /** When this login's accept needs proof of presence. */
  readonly proofOfPresence?: MockProofOfPresence;
  /** Whether this login's accept needs the user verified by the phone's passkey. */
  readonly userVerification?: UserVerificationPolicy;
}

/** One call the mock received, in order. */
export interface MobileApiMockCall {
  readonly endpoint: MobileApiEndpoint;
  /** The transaction, enrollment or device id of the path. */
  readonly id: string;
  /** The HTTP status the mock answered (0 for a network failure). */
  readonly status: number;
  /** The JSON body the phone sent (undefined when it was not JSON). */
  readonly body: unknown;
}

/** A login the mocked website started. */
export interface MockLogin {
  readonly transactionId: string;
  readonly otp: string;
  /** The QR text: the app URL with the compact code in its fragment. */
  readonly qr: string;
  /** The compact code alone (what Onegini's `otp` field holds for the reference server). */
  readonly code: string;
  /** The number the website shows, when the login was started with one. */
  readonly numberMatchCode?: string;
}

/**
 * Where a login stands, as the website sees it: `confirm` once the phone accepted a login that
 * needs proof of presence, until the browser typed the phone's code.
 */
export type MockLoginState = 'pending' | 'scanned' | 'confirm' | 'accepted' | 'denied';

/** Where a phone link stands, as the website reads it (the Token Server's enrollment status). */
export interface MockEnrollmentState {
  /** `pending` (unused), `confirm` (a phone used it), `accepted`, `denied` or `expired`. */
  readonly status: EnrollmentStatus;
  /** The device that used the code; null while none has. */
  readonly deviceId: string | null;
  /** While `confirm`: the code the phone shows, which the linking page shows too. */
  readonly compareCode?: string;
}

interface Transaction {
  readonly otp: string;
  readonly createdAt: number;
  expiresAt: number;
  readonly numberMatchCode: string | undefined;
  readonly requiredUserId: string | undefined;
  readonly proofOfPresence: MockProofOfPresence | undefined;
  readonly userVerification: UserVerificationPolicy | undefined;
  state: MockLoginState;
  deviceId?: string;
  /** What the redemption sent the phone, and its digest, which the answer must sign. */
  shown?: { readonly details: MobileRedeemResponse; readonly digest: string };
  /** While `confirm`: the code the browser must type, and the tries it has left. */
  presence?: { readonly code: string; triesLeft: number };
}

interface Enrollment {
  readonly secret: string;
  /** Until a phone used the code: when it expires; then: the end of the wait for the website. */
  expiresAt: number;
  readonly userId: string;
  readonly displayName: string | null;
  /** The device that used the code, and the code it shows; undefined while unused. */
  link?: { readonly deviceId: string; readonly compareCode: string };
  /** The website's word on the codes. */
  outcome?: 'confirmed' | 'refused';
}

interface Device {
  readonly id: string;
  readonly key: CryptoKey;
  readonly userId: string;
  readonly displayName: string | null;
  /** Whether the website confirmed the link; a pending device answers no login. */
  confirmed: boolean;
  revoked: boolean;
}

const DEFAULT_NUMBER_MATCH_CODE = '42';

/**
 * A mocked Token Server mobile API for MSW: `setupWorker(...mock.handlers)` (browser) or
 * `setupServer(...mock.handlers)` (Node). Make codes for the SDK with `mock.enrollmentCode()` and
 * `mock.startLogin()`; play the website with `mock.confirmLink(code)` and
 * `mock.provePresence(transactionId, code)`; read what happened in `mock.calls`,
 * `mock.loginState(id)` and `mock.enrollmentState(code)`.
 */
export class MobileApiMock {
  scenario: MobileApiScenario;
  readonly tokenServerUrl: string;
  /** Every call the mock received, in order. */
  readonly calls: MobileApiMockCall[] = [];
  readonly handlers: RequestHandler[];
  private readonly options: MobileApiMockOptions;
  private readonly now: () => number;
  private readonly checks: SignatureCheckOptions;
  private readonly transactions = new Map<string, Transaction>();
  private readonly enrollments = new Map<string, Enrollment>();
  private readonly devices = new Map<string, Device>();
  /** Used nonces by scope and nonce, with the time until which each is kept. */
  private readonly nonces = new Map<string, number>();
  private readonly passkeys: MockPasskeys;

  constructor(options: MobileApiMockOptions = {}) {
    if (options.numberMatchCode !== undefined) checkMatchNumber(options.numberMatchCode);
    if (options.place !== undefined && options.place !== null) checkPlace(options.place);
    if (options.proofOfPresence !== undefined) checkProofOfPresence(options.proofOfPresence);
    if (options.userVerification !== undefined) checkUserVerification(options.userVerification);
    this.options = options;
    this.scenario = options.scenario ?? 'accept-confirmed';
    this.tokenServerUrl = (options.tokenServerUrl ?? 'https://token-server.mock').replace(
      /\/+$/,
      '',
    );
    this.now = options.now ?? Date.now;
    this.passkeys = new MockPasskeys(this.now);
    this.checks = {
      clockSkewMs: options.clockSkewMs ?? 120_000,
      now: this.now,
      claimNonce: (scope, nonce, keepUntil) => this.claimNonce(scope, nonce, keepUntil),
    };
    const base = `${this.tokenServerUrl}${MOBILE_API_BASE_PATH}`;
    const endpoints = [
      'previewEnrollment',
      'enroll',
      'redeem',
      'answer',
      'passkeyOptions',
      'registerPasskey',
    ] as const;
    this.handlers = endpoints.map((endpoint) =>
      http.post(`${base}${MOBILE_API_ENDPOINTS[endpoint].route}`, ({ request, params }) =>
        this.handle(
          endpoint,
          String(params.enrollmentId ?? params.transactionId ?? params.deviceId),
          request,
        ),
      ),
    );
  }

  /** A new one-time "Link your phone" code (compact digits) for the SDK's enrollment. */
  enrollmentCode(options: MockEnrollmentOptions = {}): string {
    const enrollmentId = randomHex();
    const secret = randomHex();
    this.enrollments.set(enrollmentId, {
      secret,
      expiresAt: this.now() + (this.options.enrollmentTimeToLiveMs ?? 300_000),
      userId: options.userId ?? this.options.userId ?? 'alice@example.com',
      displayName:
        options.displayName !== undefined
          ? options.displayName
          : (this.options.displayName ?? null),
    });
    return encodeCompactPayload({ kind: 'enrollment', format: 'compact', enrollmentId, secret });
  }

  /**
   * Where the link of an enrollment code stands, as the website reads it; undefined for a code
   * the mock did not make. `code` is the text `enrollmentCode()` returned, or its enrollment id.
   */
  enrollmentState(code: string): MockEnrollmentState | undefined {
    const enrollment = this.enrollmentOf(code);
    if (enrollment === undefined) return undefined;
    const status = this.statusOf(enrollment);
    return {
      status,
      deviceId: enrollment.link?.deviceId ?? null,
      ...(status === 'confirm' && enrollment.link !== undefined
        ? { compareCode: enrollment.link.compareCode }
        : {}),
    };
  }

  /**
   * The website's user answered "Does your phone show this code?": `matches` confirms the link
   * (the phone may log in), otherwise the phone that used the code is revoked (9002). Only once,
   * and only while the link waits for it (`confirm`); false, and nothing changes, otherwise.
   */
  confirmLink(code: string, matches = true): boolean {
    if (typeof matches !== 'boolean') throw new TypeError('matches must be true or false.');
    const enrollment = this.enrollmentOf(code);
    if (enrollment?.link === undefined || this.statusOf(enrollment) !== 'confirm') return false;
    const device = this.devices.get(enrollment.link.deviceId);
    if (device === undefined) return false;
    // As the Token Server: a phone revoked meanwhile is never linked, whatever the word.
    const linked = matches && !device.revoked;
    enrollment.outcome = linked ? 'confirmed' : 'refused';
    if (linked) device.confirmed = true;
    else device.revoked = true;
    return true;
  }

  /** Starts a login as a website would; `appUrl` is where the QR's URL points. */
  startLogin(appUrl = 'https://scan.example/', options: MockLoginOptions = {}): MockLogin {
    if (options.numberMatchCode !== undefined) checkMatchNumber(options.numberMatchCode);
    if (options.proofOfPresence !== undefined) checkProofOfPresence(options.proofOfPresence);
    if (options.userVerification !== undefined) checkUserVerification(options.userVerification);
    const transactionId = crypto.randomUUID();
    const otp = randomHex();
    const createdAt = this.now();
    this.transactions.set(transactionId, {
      otp,
      createdAt,
      expiresAt: createdAt + (this.options.timeToLiveMs ?? 60_000),
      numberMatchCode: options.numberMatchCode,
      requiredUserId: options.userId,
      proofOfPresence: options.proofOfPresence,
      userVerification: options.userVerification,
      state: 'pending',
    });
    const payload = { kind: 'authentication', format: 'compact', transactionId, otp } as const;
    return {
      transactionId,
      otp,
      code: encodeCompactPayload(payload),
      qr: encodeQrText(appUrl, payload),
      ...(options.numberMatchCode === undefined
        ? {}
        : { numberMatchCode: options.numberMatchCode }),
    };
  }

  /**
   * Where a login stands: `pending`, `scanned`, `confirm`, `accepted`, `denied` or `expired`;
   * undefined if unknown.
   */
  loginState(transactionId: string): MockLoginState | 'expired' | undefined {
    const transaction = this.transactions.get(transactionId);
    if (transaction === undefined) return undefined;
    return isOpen(transaction) && this.now() >= transaction.expiresAt
      ? 'expired'
      : transaction.state;
  }

  /**
   * The browser types the code the phone showed for a login that awaits proof of presence
   * (`confirm`), as the website passes it on: the right code accepts the login; a wrong one
   * costs one of {@link PRESENCE_TRIES} tries, and the last one denies it. A login that awaits no
   * code is left as it is. Returns the login's state after the try; a code that is not six
   * digits is a TypeError.
   */
  provePresence(transactionId: string, code: string): MockLoginState | 'expired' | undefined {
    if (!v.is(ShortCode, code)) throw new TypeError('code must be six digits.');
    const transaction = this.transactions.get(transactionId);
    const presence = transaction?.presence;
    if (this.loginState(transactionId) === 'confirm' && transaction && presence) {
      if (code === presence.code) {
        transaction.state = 'accepted';
      } else {
        presence.triesLeft -= 1;
        if (presence.triesLeft <= 0) transaction.state = 'denied';
      }
      if (transaction.state !== 'confirm') transaction.presence = undefined;
    }
    return this.loginState(transactionId);
  }

  /**
   * Whether a linked phone verifies its user: it registered a passkey (what the website's device
   * list says as `user_verifying`).
   */
  userVerifying(deviceId: string): boolean {
    return this.passkeys.has(deviceId);
  }

  /** Revokes a linked phone, as the website may: its calls get 401 (9002). False if unknown. */
  revokeDevice(deviceId: string): boolean {
    const device = this.devices.get(deviceId);
    if (device === undefined) return false;
    device.revoked = true;
    return true;
  }

  private async handle(
    endpoint: MobileApiEndpoint,
    id: string,
    request: Request,
  ): Promise<Response> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const url = new URL(request.url);
    const signed: SignedHttpRequest = {
      method: request.method,
      pathAndQuery: url.pathname + url.search,
      headers: request.headers,
      body: bytes,
    };
    let response: Response;
    try {
      response = await this.answerCall(endpoint, id, signed, request.headers.get('Origin'));
    } catch (error) {
      if (!(error instanceof MobileApiRefusal)) throw error;
      response = this.json(error.toJSON(), error.status, error.headers);
    }
    this.calls.push({
      endpoint,
      id,
      status: response.type === 'error' ? 0 : response.status,
      body: parseJson(bytes),
    });
    return response;
  }

  /** The real server's order: the body cap, the scenario's rate limit, the path, then the call. */
  private async answerCall(
    endpoint: MobileApiEndpoint,
    id: string,
    request: SignedHttpRequest,
    origin: string | null,
  ): Promise<Response> {
    if (this.scenario === 'network-failure') return HttpResponse.error();
    if (request.body.length > MOBILE_API_MAX_BODY_BYTES) {
      throw new MobileApiRefusal(
        'request_too_large',
        `The request body is larger than ${MOBILE_API_MAX_BODY_BYTES} bytes.`,
      );
    }
    if (this.scenario === 'rate-limited') {
      throw new MobileApiRefusal('rate_limited', undefined, { headers: { 'Retry-After': '30' } });
    }
    if (this.scenario === 'server-error') {
      return this.json({ error: 'server_error', error_description: 'The server failed.' }, 500);
    }
    if (endpoint === 'enroll' || endpoint === 'previewEnrollment') {
      parseEnrollmentIdParam(id);
      return endpoint === 'enroll' ? this.enroll(id, request) : this.preview(id, request);
    }
    if (endpoint === 'passkeyOptions' || endpoint === 'registerPasskey') {
      return this.passkeyCall(endpoint, id, request, origin);
    }
    parseTransactionIdParam(id);
    if (this.scenario === 'device-deregistered') throw new MobileApiRefusal('device_deregistered');
    const device = await verifyDeviceCall(
      request,
      (deviceId) => this.findDevice(deviceId),
      this.checks,
    );
    // Only the phone itself learns that its link is pending: after its signature checked out.
    if (!device.confirmed) throw new MobileApiRefusal('link_not_confirmed');
    return endpoint === 'redeem'
      ? this.redeem(id, device, request.body)
      : this.answer(id, device, request.body);
  }

  /**
   * The passkey of the device that signs, named in the path: its options, or its registration.
   * A link the website has not confirmed yet may register (the app does so right after linking).
   */
  private async passkeyCall(
    endpoint: 'passkeyOptions' | 'registerPasskey',
    deviceId: string,
    request: SignedHttpRequest,
    origin: string | null,
  ): Promise<Response> {
    parseDeviceIdParam(deviceId);
    if (this.scenario === 'device-deregistered') throw new MobileApiRefusal('device_deregistered');
    const device = await verifyDeviceCall(
      request,
      (signer) => this.findDevice(signer),
      this.checks,
    );
    if (device.id !== deviceId) throw new MobileApiRefusal('request_not_found');
    if (endpoint === 'passkeyOptions') {
      parseMobileApiBody(PasskeyOptionsRequest, request.body);
      const options = this.passkeys.options(device, this.passkeyRpId(origin), this.site);
      return this.json(options, MOBILE_API_ENDPOINTS.passkeyOptions.status);
    }
    const { registration } = parseMobileApiBody(PasskeyRegistrationRequest, request.body);
    this.passkeys.register(device.id, registration, passkeyRegistrationRefusal);
    return this.json({ user_verifying: true }, MOBILE_API_ENDPOINTS.registerPasskey.status);
  }

  /** The relying party of the passkeys: the option, else the calling page's domain. */
  private passkeyRpId(origin: string | null): string {
    if (this.options.passkeyRpId !== undefined) return this.options.passkeyRpId;
    try {
      return origin === null ? 'localhost' : new URL(origin).hostname;
    } catch {
      return 'localhost';
    }
  }

  /** What a code would link the phone to; changes nothing but the nonce. */
  private async preview(enrollmentId: string, request: SignedHttpRequest): Promise<Response> {
    const { body } = await verifyEnrollmentPreviewCall(request, this.checks);
    const enrollment = this.usableEnrollment(enrollmentId, body.secret);
    const preview: MobileEnrollPreviewResponse = {
      user_id: enrollment.userId,
      display_name: enrollment.displayName,
      site: this.site,
      ...this.requester,
      expires_at: new Date(enrollment.expiresAt).toISOString(),
    };
    return this.json(preview, MOBILE_API_ENDPOINTS.previewEnrollment.status);
  }

  private async enroll(enrollmentId: string, request: SignedHttpRequest): Promise<Response> {
    const { body, publicKey } = await verifyEnrollmentCall(request, this.checks);
    const enrollment = this.usableEnrollment(enrollmentId, body.secret);
    const autoConfirm = this.options.autoConfirmLinks === true;
    const device: Device = {
      id: randomHex(),
      key: publicKey,
      userId: enrollment.userId,
      displayName: enrollment.displayName,
      confirmed: autoConfirm,
      revoked: false,
    };
    this.devices.set(device.id, device);
    enrollment.link = { deviceId: device.id, compareCode: randomShortCode() };
    enrollment.expiresAt = this.now() + (this.options.enrollmentConfirmTimeToLiveMs ?? 300_000);
    if (autoConfirm) enrollment.outcome = 'confirmed';
    const linked: MobileEnrollResponse = {
      device_id: device.id,
      user_id: device.userId,
      display_name: enrollment.displayName,
      site: this.site,
      compare_code: enrollment.link.compareCode,
    };
    return this.json(linked, MOBILE_API_ENDPOINTS.enroll.status);
  }

  /** The enrollment of a code that may still link a phone; the refusal of enrolling otherwise. */
  private usableEnrollment(enrollmentId: string, secret: string): Enrollment {
    const enrollment = this.enrollments.get(enrollmentId);
    if (enrollment?.secret !== secret) {
      throw new MobileApiRefusal('request_not_found', 'This code to link a phone is unknown.');
    }
    if (enrollment.link !== undefined) throw new MobileApiRefusal('device_already_enrolled');
    if (this.now() >= enrollment.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'This code to link a phone expired.');
    }
    return enrollment;
  }

  private async redeem(
    transactionId: string,
    device: Device,
    bytes: Uint8Array,
  ): Promise<Response> {
    const { otp } = parseMobileApiBody(MobileRedeemRequest, bytes);
    const transaction = this.transactions.get(transactionId);
    if (transaction?.otp !== otp) throw new MobileApiRefusal('request_not_found');
    // As the Token Server does: the phone that redeemed may ask again (its response was lost).
    const retry = transaction.state === 'scanned' && transaction.deviceId === device.id;
    if (this.scenario === 'already-handled' || (transaction.state !== 'pending' && !retry)) {
      throw new MobileApiRefusal('already_handled');
    }
    if (this.scenario === 'expired' || this.now() >= transaction.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'The login request expired.');
    }
    if (!retry && transaction.requiredUserId !== undefined) {
      if (transaction.requiredUserId !== device.userId) throw new MobileApiRefusal('wrong_user');
    }
    // A retry gets the very details of the first redemption, which the answer must sign.
    if (transaction.shown === undefined) {
      const details = this.shownDetails(transactionId, transaction);
      transaction.shown = { details, digest: await shownDigest(details) };
    }
    transaction.state = 'scanned';
    transaction.deviceId = device.id;
    return this.json(transaction.shown.details, MOBILE_API_ENDPOINTS.redeem.status);
  }

  /** Everything the phone's confirmation screen shows. */
  private shownDetails(transactionId: string, transaction: Transaction): MobileRedeemResponse {
    const numberMatchCode = this.numberMatchCodeOf(transaction);
    const requester = this.requester;
    const proofOfPresence = transaction.proofOfPresence ?? this.options.proofOfPresence ?? 'never';
    return {
      transaction_id: transactionId,
      message: this.options.message ?? 'Log in to Demo Bank',
      site: this.site,
      ...requester,
      presence_required:
        proofOfPresence === 'always' ||
        (proofOfPresence === 'unless_same_network' && requester.same_network !== true),
      user_verification: this.userVerificationOf(transaction),
      second_factor: transaction.requiredUserId !== undefined,
      requested_at: new Date(transaction.createdAt).toISOString(),
      expires_at: new Date(transaction.expiresAt).toISOString(),
      ...(numberMatchCode === undefined
        ? {}
        : { number_match_choices: numberMatchChoices(numberMatchCode) }),
    };
  }

  private async answer(
    transactionId: string,
    device: Device,
    bytes: Uint8Array,
  ): Promise<Response> {
    const body = parseMobileApiBody(MobileAnswerRequest, bytes);
    const transaction = this.transactions.get(transactionId);
    if (transaction === undefined) throw new MobileApiRefusal('request_not_found');
    if (transaction.state !== 'pending' && transaction.state !== 'scanned') {
      throw new MobileApiRefusal('already_handled');
    }
    if (this.scenario === 'expire-before-answer' || this.now() >= transaction.expiresAt) {
      throw new MobileApiRefusal('request_expired', 'The login request expired.');
    }
    if (transaction.state === 'pending' || transaction.shown === undefined) {
      throw new MobileApiRefusal('not_in_progress');
    }
    if (transaction.deviceId !== device.id) {
      throw new MobileApiRefusal('already_handled', 'Another device is answering this request.');
    }
    if (body.shown !== transaction.shown.digest) throw new MobileApiRefusal('shown_mismatch');
    const policy = transaction.shown.details.user_verification;
    if (body.answer === 'accept' && policy !== 'none') {
      if (this.scenario === 'user-verification-failed' && body.user_verification !== undefined) {
        throw new MobileApiRefusal('user_verification_failed');
      }
      await this.passkeys.checkAccept(
        device.id,
        policy,
        transactionId,
        body.shown,
        body.user_verification,
      );
    }
    const numberMatchCode = this.numberMatchCodeOf(transaction);
    const rightNumber = numberMatchCode === undefined || body.number === numberMatchCode;
    const accepted = body.answer === 'accept' && rightNumber && this.scenario !== 'deny';
    if (!accepted) {
      transaction.state = 'denied';
      return this.answered({ status: 'denied' });
    }
    if (!transaction.shown.details.presence_required) {
      transaction.state = 'accepted';
      return this.answered({ status: 'accepted' });
    }
    // Proof of presence: the login waits for the browser to type the code the phone shows.
    const presence = { code: randomShortCode(), triesLeft: PRESENCE_TRIES };
    transaction.state = 'confirm';
    transaction.presence = presence;
    transaction.expiresAt = this.now() + (this.options.presenceTimeToLiveMs ?? 120_000);
    return this.answered({ status: 'accepted', presence_code: presence.code });
  }

  private answered(recorded: MobileAnswerResponse): Response {
    return this.json(recorded, MOBILE_API_ENDPOINTS.answer.status);
  }

  private get site(): string {
    return this.options.site ?? 'Demo Bank';
  }

  /** The browser that asks, as the Token Server describes it to the phone. */
  private get requester(): Pick<MobileRedeemResponse, 'browser' | 'os' | 'same_network' | 'place'> {
    const { browser, os, sameNetwork, place } = this.options;
    return {
      browser: browser === undefined ? 'Firefox 128' : browser,
      os: os === undefined ? 'Windows 10' : os,
      same_network: sameNetwork === undefined ? true : sameNetwork,
      place: place ?? null,
    };
  }

  private statusOf(enrollment: Enrollment): EnrollmentStatus {
    if (enrollment.outcome === 'confirmed') return 'accepted';
    if (enrollment.outcome === 'refused') return 'denied';
    if (this.now() >= enrollment.expiresAt) return 'expired';
    return enrollment.link === undefined ? 'pending' : 'confirm';
  }

  private enrollmentOf(code: string): Enrollment | undefined {
    if (typeof code !== 'string') throw new TypeError('code must be an enrollment code or id.');
    if (v.is(Hex128, code)) return this.enrollments.get(code);
    let payload;
    try {
      payload = decodeEnrollmentPayload(code);
    } catch (cause) {
      throw new TypeError('Not an enrollment code.', { cause });
    }
    const enrollment = this.enrollments.get(payload.enrollmentId);
    return enrollment?.secret === payload.secret ? enrollment : undefined;
  }

  /** The login's own policy, else the mock's. */
  private userVerificationOf(transaction: Transaction): UserVerificationPolicy {
    return transaction.userVerification ?? this.options.userVerification ?? 'none';
  }

  /** The login's own number, else the scenario's (which may be switched on later). */
  private numberMatchCodeOf(transaction: Transaction): string | undefined {
    if (transaction.numberMatchCode !== undefined) return transaction.numberMatchCode;
    return this.scenario === 'number-matching'
      ? (this.options.numberMatchCode ?? DEFAULT_NUMBER_MATCH_CODE)
      : undefined;
  }

  private findDevice(deviceId: string): Promise<KnownDevice<Device> | undefined> {
    const device = this.devices.get(deviceId);
    return Promise.resolve(
      device === undefined || device.revoked
        ? undefined
        : { device, verify: webCryptoVerifier(device.key) },
    );
  }

  private claimNonce(scope: string, nonce: string, keepUntil: number): boolean {
    const now = this.now();
    for (const [used, until] of this.nonces) if (until < now) this.nonces.delete(used);
    const key = `${scope}:${nonce}`;
    if (this.nonces.has(key)) return false;
    this.nonces.set(key, keepUntil);
    return true;
  }

  private json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
    return HttpResponse.json(body as Record<string, unknown>, {
      status,
      headers: {
        'Cache-Control': 'no-store',
        Date: new Date(this.now()).toUTCString(),
        ...headers,
      },
    });
  }
}

function isOpen(transaction: Transaction): boolean {
  return ['pending', 'scanned', 'confirm'].includes(transaction.state);
}

function checkMatchNumber(code: string): void {
  if (!v.is(MatchNumber, code)) throw new TypeError('numberMatchCode must be two digits.');
}

function checkPlace(place: RequesterPlace): void {
  if (!v.is(RequesterPlace, place)) {
    throw new TypeError('place must be {city, country, operator, distance_km}, each may be null.');
  }
}

function checkProofOfPresence(rule: MockProofOfPresence): void {
  if (!['always', 'unless_same_network', 'never'].includes(rule)) {
    throw new TypeError("proofOfPresence must be 'always', 'unless_same_network' or 'never'.");
  }
}

function checkUserVerification(policy: UserVerificationPolicy): void {
  if (!['required', 'preferred', 'none'].includes(policy)) {
    throw new TypeError("userVerification must be 'required', 'preferred' or 'none'.");
  }
}

/** A registration that answers no challenge of the device's, as the Token Server refuses it. */
function passkeyRegistrationRefusal(): MobileApiRefusal {
  return new MobileApiRefusal(
    'passkey_registration_failed',
    'The registration’s challenge was not issued to this phone, was used already, or expired.',
  );
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
