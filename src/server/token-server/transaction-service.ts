import { randomUUID } from 'node:crypto';
import {
  encodeCompactPayload,
  MobileApiRefusal,
  numberMatchChoices,
  randomNumberMatchCode,
  type LoginStatus,
  type MobileAnswerResponse,
  type MobileRedeemResponse,
} from '../../protocol/index.js';
import { randomId128, sha256Hex } from '../security/hashing.js';
import {
  newTransactionRecord,
  type DeviceRecord,
  type TransactionRecord,
  type TransitionFailure,
} from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ClientConfig, LoginTypeConfig, TokenServerConfig } from './config.js';
import { relyingPartyError } from './errors.js';
import { describeUserAgent, sameNetwork } from './requester-context.js';
import type { StatusWaiter } from './status-waiter.js';

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
  not_authenticated_reason?: { reason: string; description: string };
}

const DENIED_DESCRIPTIONS = {
  not_accepted: 'The user denied the request.',
  invalid_answer: 'The user picked the wrong number.',
} as const;

export interface TransactionServiceOptions {
  store: Store;
  config: TokenServerConfig;
  waiter: StatusWaiter;
  clock?: () => number;
  /** Called after an answer, to post Onegini's callback to the client. */
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
      if (!devices.some((device) => device.revokedAt === null)) {
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
   * here is all it shows, never the QR's. Throws a MobileApiRefusal.
   */
  async redeem(
    device: DeviceRecord,
    transactionId: string,
    otp: string,
    phoneIp: string | null,
  ): Promise<MobileRedeemResponse> {
    const key = sha256Hex(transactionId);
    const existing = await this.options.store.getTransaction(key);
    if (existing !== undefined && existing.clientId !== device.clientId)
      throw redeemFailure('not_found');
    const result = await this.options.store.redeemTransaction(key, {
      otpHash: sha256Hex(otp),
      deviceId: device.id,
      userId: device.userId,
      now: this.clock(),
    });
    if (!result.ok) throw redeemFailure(result.reason);
    const record = result.record;
    const client = this.options.config.clients.find(
      (candidate) => candidate.id === record.clientId,
    );
    const { browser, os } = describeUserAgent(record.requester.userAgent);
    return {
      transaction_id: transactionId,
      message: record.message,
      site: client?.name ?? record.clientId,
      browser,
      os,
      same_network: sameNetwork(record.requester.ipAddress, phoneIp),
      requested_at: new Date(record.createdAt).toISOString(),
      expires_at: new Date(record.expiresAt).toISOString(),
      ...(record.numberMatchCode === null
        ? {}
        : { number_match_choices: numberMatchChoices(record.numberMatchCode) }),
    };
  }

  /**
   * The device that redeemed answers: accept (with the picked number, if asked) or deny. Throws a
   * MobileApiRefusal.
   */
  async answer(
    device: DeviceRecord,
    transactionId: string,
    accept: boolean,
    pickedNumber: string | null,
  ): Promise<MobileAnswerResponse> {
    const key = sha256Hex(transactionId);
    const existing = await this.options.store.getTransaction(key);
    if (existing === undefined || existing.clientId !== device.clientId)
      throw answerFailure('not_found');
    const wrongNumber =
      accept && existing.numberMatchCode !== null && pickedNumber !== existing.numberMatchCode;
    const result = await this.options.store.answerTransaction(key, {
      deviceId: device.id,
      accepted: accept && !wrongNumber,
      now: this.clock(),
      ...(wrongNumber ? { deniedReason: 'invalid_answer' as const } : {}),
    });
    if (!result.ok) throw answerFailure(result.reason);
    this.options.onAnswered?.(result.record, transactionId);
    return { status: result.record.state === 'accepted' ? 'accepted' : 'denied' };
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
