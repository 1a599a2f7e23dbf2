import { randomUUID } from 'node:crypto';
import {
  encodeCompactPayload,
  MobileApiRefusal,
  PRESENCE_TRIES,
  randomNumberMatchCode,
  shownDigest,
  type LoginStatus,
  type MobileAnswerResponse,
  type MobileRedeemResponse,
  type PasskeyAssertion,
  randomShortCode,
} from '../../protocol/index.js';
import { digestsEqual, randomId128, sha256Hex } from '../security/hashing.js';
import {
  isActiveDevice,
  newTransactionRecord,
  type DeniedReason,
  type DeviceRecord,
  type TransactionRecord,
  type TransitionFailure,
} from '../store/records.js';
import type { Store } from '../store/store.js';
import type { AcceptVerification } from './accept-verification.js';
import type { ClientConfig, LoginTypeConfig, TokenServerConfig } from './config.js';
import { relyingPartyError } from './errors.js';
import type { IpLocator } from './ip-location/ip-locator.js';
import { loginDetails } from './login-details.js';
import { presenceCodeHash } from './proof-of-presence.js';
import { sameNetwork } from './requester-context.js';
import type { StatusWaiter } from './status-waiter.js';
import { userVerificationPolicy } from './user-verification-policy.js';

/** A validated initialize request (Onegini's form fields). */
export interface InitializeRequest {
  type: string;
  callbackUri: string;
  message: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  languageCode: string | null;
  userId: string | null;
}

/** Onegini's initialize response, plus `number_match_code` when the type uses number matching. */
export interface InitializeResponse {
  transaction_id: string;
  auth_method: string;
  time_to_live: number;
  otp: string;
  number_match_code?: string;
}

/** Onegini's transaction result, plus `status` (documented extension). */
export interface TransactionResultResponse {
  transaction_id: string;
  callback_uri: string;
  timestamp: number;
  user_id: string | null;
  is_authenticated: boolean;
  authentication_method: string;
  status: LoginStatus;
  /** While `confirm`: the codes the browser may still type (our extension). */
  presence_tries_left?: number;
  not_authenticated_reason?: { reason: string; description: string };
}

const DENIED_DESCRIPTIONS = {
  not_accepted: 'The user denied the request.',
  invalid_answer: 'The user picked the wrong number.',
  presence_failed: 'The browser typed a wrong code from the phone too often.',
} as const satisfies Record<DeniedReason, string>;

export interface TransactionServiceOptions {
  store: Store;
  config: TokenServerConfig;
  waiter: StatusWaiter;
  /** Checks the user verification (passkey assertion) that an accept brings, per the type. */
  acceptVerification: AcceptVerification;
  clock?: () => number;
  /** Where browsers seem to be; without it, the phone is shown no place. */
  ipLocator?: IpLocator;
  /**
   * Called after every change an answer makes (the phone's answer, each code the browser types),
   * to post Onegini's callback to the client.
   */
  onAnswered?: (record: TransactionRecord, transactionId: string) => void;
}

/** The life of a login request, from initialize to its result. */
export class TransactionService {
  private readonly clock: () => number;

  constructor(private readonly options: TransactionServiceOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async initialize(client: ClientConfig, request: InitializeRequest): Promise<InitializeResponse> {
    const type = this.typeFor(client, request.type);
    if (!isAllowedCallback(client, request.callbackUri))
      throw relyingPartyError('CALLBACK_NOT_ALLOWED');
    const message = request.message ?? defaultMessage(type, request.languageCode);
    if (message === null) throw relyingPartyError('INVALID_PARAMETER', 'The message is missing.');
    if (message.length > type.maxMessageLength) throw relyingPartyError('MESSAGE_TOO_LONG');
    if (type.secondFactor) {
      if (request.userId === null) {
        throw relyingPartyError('INVALID_PARAMETER', `The type ${type.name} needs a user_id.`);
      }
      const devices = await this.options.store.listDevices(client.id, request.userId);
      // A phone whose link the website has not confirmed yet cannot answer: it does not count.
      if (!devices.some(isActiveDevice)) {
        throw relyingPartyError('NO_AUTHENTICATION_POSSIBILITIES');
      }
    } else if (request.userId !== null) {
      throw relyingPartyError('INVALID_PARAMETER', `The type ${type.name} takes no user_id.`);
    }

    const transactionId = randomUUID();
    const otp = randomId128();
    const now = this.clock();
    const numberMatchCode = type.numberMatching ? randomNumberMatchCode() : null;
    await this.options.store.insertTransaction(
      newTransactionRecord({
        key: sha256Hex(transactionId),
        otpHash: sha256Hex(otp),
        clientId: client.id,
        type: type.name,
        message,
        callbackUri: request.callbackUri,
        requester: {
          ipAddress: request.ipAddress,
          userAgent: request.userAgent,
          languageCode: request.languageCode,
        },
        requiredUserId: request.userId,
        numberMatchCode,
        createdAt: now,
        expiresAt: now + type.timeToLiveMs,
      }),
    );
    return {
      transaction_id: transactionId,
      auth_method: type.name,
      time_to_live: type.timeToLiveMs,
      otp: encodeCompactPayload({ kind: 'authentication', format: 'compact', transactionId, otp }),
      ...(numberMatchCode === null ? {} : { number_match_code: numberMatchCode }),
    };
  }

  /**
   * The result of a transaction of this client. With `waitSeconds`, holds the call until the
   * status differs from `knownStatus` (long-poll), at most that long.
   */
  async result(
    client: ClientConfig,
    transactionId: string,
    wait?: { knownStatus: LoginStatus; seconds: number; signal?: AbortSignal },
  ): Promise<TransactionResultResponse> {
    const key = sha256Hex(transactionId);
    let record = await this.recordOf(client, key);
    if (wait !== undefined && wait.seconds > 0) {
      const deadline = this.clock() + wait.seconds * 1000;
      const { waiter } = this.options;
      while (
        statusOf(record, this.clock()) === wait.knownStatus &&
        !wait.signal?.aborted &&
        !waiter.stopped
      ) {
        const now = this.clock();
        if (now >= deadline) break;
        // Wake at the deadline, or when the transaction expires, whichever is first.
        const untilExpiry = record.expiresAt - now;
        const timeout = Math.min(deadline - now, untilExpiry > 0 ? untilExpiry : deadline - now);
        const changed = await waiter.wait(key, timeout, wait.signal);
        record = await this.recordOf(client, key);
        // The full wait ran out: answer, even where the clock has not moved as far as the timer.
        if (!changed && timeout >= deadline - now) break;
      }
    }
    return toResult(record, transactionId, this.clock());
  }

  /**
   * The batched long-poll (our extension): holds the call until any of `known`'s transactions
   * has a status other than the one given for it, at most `seconds`. Answers with the results
   * of those that differ, and the ids it does not know for this client (never created, purged,
   * or another client's: the three look the same).
   */
  async resultsOfAny(
    client: ClientConfig,
    known: ReadonlyMap<string, LoginStatus>,
    seconds: number,
    signal?: AbortSignal,
  ): Promise<{ transactions: TransactionResultResponse[]; unknown: string[] }> {
    const deadline = this.clock() + seconds * 1000;
    let lastRound = false;
    const keys = new Map([...known.keys()].map((id) => [id, sha256Hex(id)]));
    for (;;) {
      const now = this.clock();
      const changed: TransactionResultResponse[] = [];
      const unknown: string[] = [];
      let nextExpiry = Number.POSITIVE_INFINITY;
      const records = await this.options.store.getTransactions([...keys.values()]);
      let index = 0;
      for (const id of keys.keys()) {
        const record = records[index];
        index += 1;
        if (record?.clientId !== client.id) {
          unknown.push(id);
          continue;
        }
        const status = statusOf(record, now);
        if (status !== known.get(id)) changed.push(toResult(record, id, now));
        else if (record.expiresAt > now) nextExpiry = Math.min(nextExpiry, record.expiresAt);
      }
      const { waiter } = this.options;
      if (changed.length > 0 || unknown.length > 0 || now >= deadline || lastRound) {
        return { transactions: changed, unknown };
      }
      if (signal?.aborted || waiter.stopped) return { transactions: [], unknown: [] };
      // Wake at the deadline, when one of them expires, or when one changes.
      const timeout = Math.min(deadline, nextExpiry) - now;
      const woken = await waiter.waitAny([...keys.values()], timeout, signal);
      // The full wait ran out: one more read, then answer, even where the clock lags the timer.
      lastRound = !woken && timeout >= deadline - now;
    }
  }

  /**
   * A device redeems the OTP it scanned: the transaction becomes `scanned`. What the phone learns
   * here is all it shows, never the QR's, and the store keeps its digest: the answer must sign
   * the same (what you see is what you sign). Throws a MobileApiRefusal.
   */
  async redeem(
    device: DeviceRecord,
    transactionId: string,
    otp: string,
    phoneIp: string | null,
  ): Promise<MobileRedeemResponse> {
    const key = sha256Hex(transactionId);
    const existing = await this.options.store.getTransaction(key);
    if (existing?.clientId !== device.clientId) throw redeemFailure('not_found');
    // Built from what the login stored when it started and the phone's address, known before
    // the store is asked. The phone that redeemed and asks again (its answer was lost) gets the
    // very details it was sent, from the address it redeemed from, even from another network.
    const repeat = existing.state === 'redeemed' && existing.deviceId === device.id;
    const shownTo = repeat ? (existing.phoneIp ?? null) : phoneIp;
    const details = this.detailsFor(existing, transactionId, shownTo);
    const result = await this.options.store.redeemTransaction(key, {
      otpHash: sha256Hex(otp),
      deviceId: device.id,
      userId: device.userId,
      now: this.clock(),
      shownDigest: await shownDigest(details),
      phoneIp: shownTo,
    });
    if (!result.ok) throw redeemFailure(result.reason);
    return details;
  }

  /**
   * The device that redeemed answers: accept (with the picked number, if asked) or deny, signing
   * the digest of the details it showed. An accept of a type that asks for user verification
   * brings the passkey assertion it needs (AcceptVerification). An accept of a login that needs
   * proof of presence gets the code the phone shows. Throws a MobileApiRefusal; a refused answer
   * records nothing.
   */
  async answer(
    device: DeviceRecord,
    transactionId: string,
    answer: {
      accept: boolean;
      pickedNumber: string | null;
      /** shownDigest() of the details the phone showed. */
      shown: string;
      phoneIp: string | null;
      /** The passkey assertion that came with the answer, if any (read for an accept only). */
      userVerification?: PasskeyAssertion | undefined;
    },
  ): Promise<MobileAnswerResponse> {
    const key = sha256Hex(transactionId);
    const existing = await this.options.store.getTransaction(key);
    if (existing === undefined || existing.clientId !== device.clientId)
      throw answerFailure('not_found');
    const now = this.clock();
    // An answer before the redemption changes nothing; refused here, before the digest check,
    // so that the store never takes an answer whose digest was not compared (a login moves on
    // from `redeemed` only by an answer).
    if (existing.state === 'created') {
      throw answerFailure(now >= existing.expiresAt ? 'expired' : 'not_in_progress');
    }
    // The digest and the user verification count for the phone that redeemed, while the answer
    // can still count; any other answer is refused by the store for what it is (another phone,
    // answered, expired), so that nothing is recorded without them.
    const counts =
      existing.state === 'redeemed' && existing.deviceId === device.id && now < existing.expiresAt;
    if (counts && !digestsEqual(existing.shownDigest ?? '', answer.shown)) {
      throw new MobileApiRefusal('shown_mismatch');
    }
    const verifiedPasskey =
      counts && answer.accept
        ? await this.options.acceptVerification.check(
            userVerificationPolicy(this.options.config, existing.type),
            device,
            {
              transactionId,
              shown: answer.shown,
              assertion: answer.userVerification,
            },
          )
        : undefined;
    // The counter the assertion reported is kept before the answer is recorded, as WebAuthn keeps
    // it once an assertion verifies: the authenticator signed it, whatever becomes of this
    // answer. A passkey that keeps no counter (synced ones say 0) costs no write.
    if (verifiedPasskey !== undefined && verifiedPasskey.counter !== device.passkey?.counter) {
      const kept = await this.options.store.setDevicePasskey(device.id, verifiedPasskey);
      // Revoked since its signature was checked: it accepts nothing.
      if (!kept) throw new MobileApiRefusal('device_deregistered');
    }
    const wrongNumber =
      answer.accept &&
      existing.numberMatchCode !== null &&
      answer.pickedNumber !== existing.numberMatchCode;
    const accepted = answer.accept && !wrongNumber;
    const presenceCode =
      accepted && (await this.presenceWasRequired(existing, transactionId, answer))
        ? randomShortCode()
        : null;
    const result = await this.options.store.answerTransaction(key, {
      deviceId: device.id,
      accepted,
      now,
      ...(wrongNumber ? { deniedReason: 'invalid_answer' as const } : {}),
      ...(presenceCode === null
        ? {}
        : {
            presence: {
              codeHash: presenceCodeHash(transactionId, presenceCode),
              tries: PRESENCE_TRIES,
              expiresAt: now + this.presenceTimeToLive(existing),
            },
          }),
    });
    if (!result.ok) throw answerFailure(result.reason);
    this.options.onAnswered?.(result.record, transactionId);
    if (result.record.state === 'awaiting_presence' && presenceCode !== null) {
      return { status: 'accepted', presence_code: presenceCode };
    }
    return { status: result.record.state === 'accepted' ? 'accepted' : 'denied' };
  }

  /**
   * The browser of a login that awaits proof of presence types the phone's code (the website
   * passes it on): the right one makes the login `accepted`; a wrong one costs a try, and the
   * last one makes it `denied` (`presence_failed`). Of racing calls with the right code, one
   * wins; the others are refused, so that the website logs its browser in once.
   */
  async provePresence(
    client: ClientConfig,
    transactionId: string,
    code: string,
  ): Promise<TransactionResultResponse> {
    const key = sha256Hex(transactionId);
    await this.recordOf(client, key);
    const now = this.clock();
    const result = await this.options.store.provePresence(key, {
      codeHash: presenceCodeHash(transactionId, code),
      now,
    });
    if (!result.ok) throw presenceFailure(result.reason);
    this.options.onAnswered?.(result.record, transactionId);
    return toResult(result.record, transactionId, now);
  }

  /** The details `record` shows the phone at `phoneIp`. */
  private detailsFor(
    record: TransactionRecord,
    transactionId: string,
    phoneIp: string | null,
  ): MobileRedeemResponse {
    return loginDetails(record, transactionId, {
      config: this.options.config,
      locator: this.options.ipLocator,
      phoneIp,
    });
  }

  /**
   * Whether the details the phone signed said that an accept needs proof of presence. The store
   * keeps their digest and the address the phone redeemed from, so they are built again as they
   * were sent: where that gives the signed digest, their word counts. Where it does not (a
   * record from before the address was kept), the code is asked for unless the type never asks:
   * the stricter reading.
   */
  private async presenceWasRequired(
    record: TransactionRecord,
    transactionId: string,
    answer: { shown: string; phoneIp: string | null },
  ): Promise<boolean> {
    const type = this.options.config.types.find((candidate) => candidate.name === record.type);
    const policy = type?.proofOfPresence ?? 'always';
    if (policy !== 'unless_same_network') return policy === 'always';
    const redeemedFrom = record.phoneIp ?? null;
    // A phone that answers from another network than it redeemed on: the code, to be safe.
    const moved =
      answer.phoneIp !== redeemedFrom && sameNetwork(redeemedFrom, answer.phoneIp) !== true;
    const details = this.detailsFor(record, transactionId, redeemedFrom);
    if (digestsEqual(await shownDigest(details), answer.shown))
      return details.presence_required || moved;
    return true;
  }

  /** How long the browser has to type the code after an accept of `record`. */
  private presenceTimeToLive(record: TransactionRecord): number {
    const type = this.options.config.types.find((candidate) => candidate.name === record.type);
    return type?.presenceTimeToLiveMs ?? 120_000;
  }

  private typeFor(client: ClientConfig, name: string): LoginTypeConfig {
    const type = this.options.config.types.find((candidate) => candidate.name === name);
    if (type === undefined || !client.types.includes(name))
      throw relyingPartyError('TYPE_NOT_FOUND');
    return type;
  }

  private async recordOf(client: ClientConfig, key: string): Promise<TransactionRecord> {
    const record = await this.options.store.getTransaction(key);
    // Another client's transaction reads as unknown: clients learn nothing of each other.
    if (record === undefined || record.clientId !== client.id)
      throw relyingPartyError('INVALID_TRANSACTION_ID');
    return record;
  }
}

/** The status the website sees. */
export function statusOf(record: TransactionRecord, now: number): LoginStatus {
  if (record.state === 'accepted' || record.state === 'denied') return record.state;
  if (now >= record.expiresAt) return 'expired';
  if (record.state === 'awaiting_presence') return 'confirm';
  return record.state === 'redeemed' ? 'scanned' : 'pending';
}

function toResult(
  record: TransactionRecord,
  transactionId: string,
  now: number,
): TransactionResultResponse {
  const status = statusOf(record, now);
  return {
    transaction_id: transactionId,
    callback_uri: record.callbackUri,
    timestamp: record.answeredAt ?? record.createdAt,
    user_id: record.userId,
    is_authenticated: status === 'accepted',
    authentication_method: record.type,
    status,
    ...(status === 'confirm' && record.presenceTriesLeft !== null
      ? { presence_tries_left: record.presenceTriesLeft }
      : {}),
    ...(status === 'denied' && record.deniedReason !== null
      ? {
          not_authenticated_reason: {
            reason: record.deniedReason,
            description: DENIED_DESCRIPTIONS[record.deniedReason],
          },
        }
      : {}),
  };
}

function isAllowedCallback(client: ClientConfig, callbackUri: string): boolean {
  return client.callbackUris.includes(callbackUri);
}

function defaultMessage(type: LoginTypeConfig, languageCode: string | null): string | null {
  const language = languageCode?.slice(0, 2);
  return (language === undefined ? undefined : type.messages[language]) ?? type.messages.en ?? null;
}

function redeemFailure(reason: TransitionFailure): MobileApiRefusal {
  switch (reason) {
    case 'wrong_user':
      return new MobileApiRefusal('wrong_user');
    case 'expired':
      return new MobileApiRefusal('request_expired', 'The login request expired.');
    case 'already_handled':
      return new MobileApiRefusal('already_handled');
    default:
      return new MobileApiRefusal('request_not_found');
  }
}

/** Why the browser's code was not looked at: nothing about the login changed. */
function presenceFailure(reason: TransitionFailure) {
  switch (reason) {
    case 'not_in_progress':
      return relyingPartyError('INVALID_PARAMETER', 'This login is not waiting for a code.');
    case 'expired':
      return relyingPartyError('INVALID_PARAMETER', 'The time to type the code ran out.');
    case 'already_handled':
      return relyingPartyError('INVALID_PARAMETER', 'This login has its outcome already.');
    default:
      return relyingPartyError('INVALID_TRANSACTION_ID');
  }
}

function answerFailure(reason: TransitionFailure): MobileApiRefusal {
  switch (reason) {
    case 'not_in_progress':
      return new MobileApiRefusal('not_in_progress');
    case 'wrong_device':
      return new MobileApiRefusal('already_handled', 'Another device is answering this request.');
    default:
      return redeemFailure(reason);
  }
}
