import type { RateCounters } from '../security/rate-counters.js';
import type {
  DeniedReason,
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';

// One type for the Token Server's and the kit's rate counters; its home is security/.
export type { RateCounterOptions, RateCounters } from '../security/rate-counters.js';

/**
 * Whether a store can serve now. `reason` is for the operator's log: it may name a file or a host.
 */
export type StoreReadiness =
  { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Called with a transaction's key whenever that transaction changes, on any instance. */
export type ChangeListener = (key: string) => void;

/**
 * Storage for the Token Server. Every method that changes state is atomic across every server
 * instance that shares the store: of two racing calls, exactly one wins.
 *
 * Adapters: `MemoryStore` (tests), `SqliteStore` (the default), `PostgresStore` and `RedisStore`
 * (several instances).
 * test/server/store-contract.ts holds the one test suite that every adapter passes. A store fails
 * with a `StoreError` (store-error.ts), whose `code` says what went wrong; every record it reads
 * back is checked against its schema (records.ts), and one that fails is `unreadable`.
 */
export interface Store {
  /** Fails with `duplicate` when a transaction with this key exists. */
  insertTransaction(record: TransactionRecord): Promise<void>;
  getTransaction(key: string): Promise<TransactionRecord | undefined>;
  /**
   * Reads many transactions in one go (the batched wait reads up to 250 at every wake-up):
   * the records in the order of `keys`, undefined where there is none.
   */
  getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]>;
  /**
   * created → redeemed, if the OTP hash matches and the transaction has not expired. A wrong OTP
   * reads as `not_found`, so that a guess learns nothing.
   */
  redeemTransaction(
    key: string,
    change: {
      otpHash: string;
      deviceId: string;
      userId: string;
      now: number;
      /** shownDigest() of what the server sends the phone; kept on the record. */
      shownDigest: string;
      /** The address the phone redeemed from, which the details it is shown depend on. */
      phoneIp?: string | null;
    },
  ): Promise<TransitionResult<TransactionRecord>>;
  /**
   * redeemed → accepted or denied, by the device that redeemed it, before it expires. An accept
   * with `presence` goes to `awaiting_presence` instead, with that code's hash, its tries, and
   * `expiresAt` moved to `presence.expiresAt` (the time the browser has to type the code).
   */
  answerTransaction(
    key: string,
    change: {
      deviceId: string;
      accepted: boolean;
      now: number;
      deniedReason?: DeniedReason;
      presence?: { codeHash: string; tries: number; expiresAt: number };
    },
  ): Promise<TransitionResult<TransactionRecord>>;
  /**
   * The browser types the phone's proof-of-presence code: awaiting_presence → accepted when the
   * hash matches; else one try fewer, and at none left → denied (`presence_failed`). Refused
   * with `not_in_progress` for a transaction that awaits no code, `expired` after `expiresAt`,
   * `already_handled` once accepted or denied.
   */
  provePresence(
    key: string,
    change: { codeHash: string; now: number },
  ): Promise<TransitionResult<TransactionRecord>>;

  /** Fails with `duplicate` when an enrollment with this key exists. */
  insertEnrollment(record: EnrollmentRecord): Promise<void>;
  getEnrollment(key: string): Promise<EnrollmentRecord | undefined>;
  /**
   * Uses an enrollment code once and stores the device it enrolls (pending: `confirmedAt` null),
   * in one step; the enrollment keeps the device's id and `compareCode`, and its `expiresAt`
   * becomes `confirmBy`. Fails with `duplicate`, and changes nothing, when a device with that id
   * exists.
   */
  redeemEnrollment(
    key: string,
    change: {
      secretHash: string;
      device: DeviceRecord;
      now: number;
      compareCode: string;
      confirmBy: number;
    },
  ): Promise<TransitionResult<EnrollmentRecord>>;
  /**
   * The website's word on a used code, in one step for the enrollment and its device: `matches`
   * sets the device's `confirmedAt` and the outcome `confirmed`; otherwise the device is revoked
   * and the outcome is `refused`. Refused with `not_in_progress` while no device used the code,
   * `already_handled` once an outcome is set, `expired` at or after `expiresAt`.
   */
  confirmEnrollment(
    key: string,
    change: { matches: boolean; now: number },
  ): Promise<TransitionResult<EnrollmentRecord>>;

  getDevice(id: string): Promise<DeviceRecord | undefined>;
  listDevices(clientId: string, userId: string): Promise<DeviceRecord[]>;
  /** Returns false when the device does not exist or was revoked already. */
  revokeDevice(id: string, now: number): Promise<boolean>;
  /**
   * Gives a device its passkey, or a later counter of the same one: replaces `passkey` on a device
   * that exists and is not revoked, in one step (a revoke in between wins). False otherwise.
   */
  setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean>;

  /** Records a request nonce; false if the device used it before (a replay). */
  claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean>;

  /**
   * Keeps a challenge the server issued to `scope` (a device id) until `expiresAt`: a passkey
   * registration's, which the device must send back signed before then. `challengeHash` is the
   * challenge's SHA-256. Fails with `duplicate` when that challenge is kept already.
   */
  insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void>;
  /**
   * Uses up a challenge of `scope`, in one step: true once, if it was issued and has not expired
   * at `now`; false for one never issued, used already, or expired. Of racing calls, one wins.
   */
  takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean>;

  /** Listens for changes to any transaction; returns the function that stops listening. */
  onTransactionChange(listener: ChangeListener): () => void;

  /**
   * For a store whose change feed can have gaps (Redis pub/sub across instances): calls `listener`
   * when the feed is back after one, since changes made meanwhile were not announced. Whoever
   * waits on changes then reads again. Returns the function that stops listening.
   */
  onChangeFeedResumed?(listener: () => void): () => void;

  /**
   * Counters for rate limits that every instance sharing this store shares (Redis). Without it,
   * each process counts for itself, as is right for a store that one process uses.
   */
  sharedRateCounters?: RateCounters;

  /**
   * Whether the store can serve now: the Token Server's /readyz answers 503 while it cannot (Redis
   * unreachable or emptied under the server, the SQLite file removed or replaced, its disk full),
   * so that a load balancer sends callers to an instance that can. Cheap enough for every probe.
   * A store without it counts as ready.
   */
  readiness?(): StoreReadiness;

  /** Deletes what expired before `now` (minus a grace period the caller chooses). */
  purgeExpired(now: number): Promise<void>;
  close(): Promise<void>;
}
