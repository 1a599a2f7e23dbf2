import type {
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';
import type { ChangeListener, RateCounters, Store, StoreReadiness } from './store.js';

/**
 * Two stores as one, split as Onegini splits its Token Server's data: what must last (linked
 * phones and the codes that link them) in `durable`, a database that is backed up (PostgreSQL);
 * what may be lost (logins in progress, used nonces, passkey challenges, change notices, rate
 * counters) in `fast` (Redis). A restart of Redis without persistence then costs the logins of the
 * moment, never a linked phone.
 *
 * Nothing needs both at once: a transition of a login names its device by id only, and an
 * enrollment stores (and later confirms or revokes) its device in the same step, inside
 * `durable`. Waits hear changes from `fast`, and rate limits count there when it shares them.
 */
export class SplitStore implements Store {
  readonly sharedRateCounters: RateCounters | undefined;

  constructor(
    private readonly durable: Store,
    private readonly fast: Store,
  ) {
    this.sharedRateCounters = fast.sharedRateCounters ?? durable.sharedRateCounters;
  }

  insertTransaction(record: TransactionRecord): Promise<void> {
    return this.fast.insertTransaction(record);
  }

  getTransaction(key: string): Promise<TransactionRecord | undefined> {
    return this.fast.getTransaction(key);
  }

  getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]> {
    return this.fast.getTransactions(keys);
  }

  redeemTransaction(
    key: string,
    change: Parameters<Store['redeemTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.fast.redeemTransaction(key, change);
  }

  answerTransaction(
    key: string,
    change: Parameters<Store['answerTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.fast.answerTransaction(key, change);
  }

  provePresence(
    key: string,
    change: Parameters<Store['provePresence']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.fast.provePresence(key, change);
  }

  insertEnrollment(record: EnrollmentRecord): Promise<void> {
    return this.durable.insertEnrollment(record);
  }

  getEnrollment(key: string): Promise<EnrollmentRecord | undefined> {
    return this.durable.getEnrollment(key);
  }

  redeemEnrollment(
    key: string,
    change: Parameters<Store['redeemEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    return this.durable.redeemEnrollment(key, change);
  }

  /** Both records it changes, the enrollment and its device, are in `durable`. */
  confirmEnrollment(
    key: string,
    change: Parameters<Store['confirmEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    return this.durable.confirmEnrollment(key, change);
  }

  getDevice(id: string): Promise<DeviceRecord | undefined> {
    return this.durable.getDevice(id);
  }

  listDevices(clientId: string, userId: string): Promise<DeviceRecord[]> {
    return this.durable.listDevices(clientId, userId);
  }

  revokeDevice(id: string, now: number): Promise<boolean> {
    return this.durable.revokeDevice(id, now);
  }

  setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean> {
    return this.durable.setDevicePasskey(id, passkey);
  }

  claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    return this.fast.claimNonce(deviceId, nonce, expiresAt);
  }

  /** A challenge lives minutes: losing one costs a phone another try at its passkey. */
  insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void> {
    return this.fast.insertChallenge(scope, challengeHash, expiresAt);
  }

  takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean> {
    return this.fast.takeChallenge(scope, challengeHash, now);
  }

  onTransactionChange(listener: ChangeListener): () => void {
    return this.fast.onTransactionChange(listener);
  }

  onChangeFeedResumed(listener: () => void): () => void {
    return this.fast.onChangeFeedResumed?.(listener) ?? (() => undefined);
  }

  /** Ready when both are: a login needs the phone's record and its own. */
  readiness(): StoreReadiness {
    for (const store of [this.durable, this.fast]) {
      const readiness = store.readiness?.();
      if (readiness !== undefined && !readiness.ready) return readiness;
    }
    return { ready: true };
  }

  async purgeExpired(now: number): Promise<void> {
    await Promise.all([this.durable.purgeExpired(now), this.fast.purgeExpired(now)]);
  }

  async close(): Promise<void> {
    await Promise.all([this.durable.close(), this.fast.close()]);
  }
}
