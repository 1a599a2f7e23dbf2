import { EventEmitter } from 'node:events';
import type { ChangeListener, Store } from './store.js';
import type {
  DevicePasskey,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';
import { StoreError } from './store-error.js';
import {
  answer,
  confirmEnrollmentLink,
  isUnchanged,
  provePresence,
  redeem,
  redeemEnrollmentCode,
} from './transitions.js';

/** Keeps everything in this process's memory. For unit tests: nothing survives a restart. */
export class MemoryStore implements Store {
  private readonly transactions = new Map<string, TransactionRecord>();
  private readonly enrollments = new Map<string, EnrollmentRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly nonces = new Map<string, number>();
  /** Issued challenges, by scope and hash, with when each expires. */
  private readonly challenges = new Map<string, number>();
  private readonly changes = new EventEmitter().setMaxListeners(0);

  insertTransaction(record: TransactionRecord): Promise<void> {
    if (this.transactions.has(record.key)) {
      return Promise.reject(new StoreError('duplicate', 'A transaction with this key exists.'));
    }
    this.transactions.set(record.key, record);
    return Promise.resolve();
  }

  getTransaction(key: string): Promise<TransactionRecord | undefined> {
    return Promise.resolve(this.transactions.get(key));
  }

  getTransactions(keys: readonly string[]): Promise<(TransactionRecord | undefined)[]> {
    return Promise.resolve(keys.map((key) => this.transactions.get(key)));
  }

  redeemTransaction(
    key: string,
    change: Parameters<Store['redeemTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.commit(key, () => redeem(this.transactions.get(key), change));
  }

  answerTransaction(
    key: string,
    change: Parameters<Store['answerTransaction']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.commit(key, () => answer(this.transactions.get(key), change));
  }

  provePresence(
    key: string,
    change: Parameters<Store['provePresence']>[1],
  ): Promise<TransitionResult<TransactionRecord>> {
    return this.commit(key, () => provePresence(this.transactions.get(key), change));
  }

  insertEnrollment(record: EnrollmentRecord): Promise<void> {
    if (this.enrollments.has(record.key)) {
      return Promise.reject(new StoreError('duplicate', 'An enrollment with this key exists.'));
    }
    this.enrollments.set(record.key, record);
    return Promise.resolve();
  }

  getEnrollment(key: string): Promise<EnrollmentRecord | undefined> {
    return Promise.resolve(this.enrollments.get(key));
  }

  redeemEnrollment(
    key: string,
    change: Parameters<Store['redeemEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    return settle(() => {
      const result = redeemEnrollmentCode(this.enrollments.get(key), change);
      if (result.ok && this.devices.has(change.device.id))
        throw new StoreError('duplicate', 'A device with this id exists.');
      if (result.ok) {
        this.enrollments.set(key, result.record);
        this.devices.set(change.device.id, change.device);
      }
      return result;
    });
  }

  confirmEnrollment(
    key: string,
    change: Parameters<Store['confirmEnrollment']>[1],
  ): Promise<TransitionResult<EnrollmentRecord>> {
    return settle(() => {
      const enrollment = this.enrollments.get(key);
      const deviceId = enrollment?.deviceId ?? null;
      const device = deviceId === null ? undefined : this.devices.get(deviceId);
      const result = confirmEnrollmentLink(enrollment, device, change);
      if (!result.ok) return result;
      this.enrollments.set(key, result.record.enrollment);
      this.devices.set(result.record.device.id, result.record.device);
      return { ok: true, record: result.record.enrollment };
    });
  }

  getDevice(id: string): Promise<DeviceRecord | undefined> {
    return Promise.resolve(this.devices.get(id));
  }

  listDevices(clientId: string, userId: string): Promise<DeviceRecord[]> {
    const devices = [...this.devices.values()].filter(
      (device) => device.clientId === clientId && device.userId === userId,
    );
    return Promise.resolve(devices.sort((a, b) => a.createdAt - b.createdAt));
  }

  revokeDevice(id: string, now: number): Promise<boolean> {
    const device = this.devices.get(id);
    if (device === undefined || device.revokedAt !== null) return Promise.resolve(false);
    this.devices.set(id, { ...device, revokedAt: now });
    return Promise.resolve(true);
  }

  setDevicePasskey(id: string, passkey: DevicePasskey): Promise<boolean> {
    const device = this.devices.get(id);
    if (device === undefined || device.revokedAt !== null) return Promise.resolve(false);
    this.devices.set(id, { ...device, passkey });
    return Promise.resolve(true);
  }

  insertChallenge(scope: string, challengeHash: string, expiresAt: number): Promise<void> {
    const key = `${scope}\n${challengeHash}`;
    if (this.challenges.has(key)) {
      return Promise.reject(new StoreError('duplicate', 'This challenge is kept already.'));
    }
    this.challenges.set(key, expiresAt);
    return Promise.resolve();
  }

  takeChallenge(scope: string, challengeHash: string, now: number): Promise<boolean> {
    const key = `${scope}\n${challengeHash}`;
    const expiresAt = this.challenges.get(key);
    this.challenges.delete(key);
    return Promise.resolve(expiresAt !== undefined && now < expiresAt);
  }

  claimNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    const key = `${deviceId}\n${nonce}`;
    if (this.nonces.has(key)) return Promise.resolve(false);
    this.nonces.set(key, expiresAt);
    return Promise.resolve(true);
  }

  onTransactionChange(listener: ChangeListener): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  purgeExpired(now: number): Promise<void> {
    for (const [key, record] of this.transactions) {
      if (record.expiresAt <= now) this.transactions.delete(key);
    }
    for (const [key, record] of this.enrollments) {
      if (record.expiresAt <= now) this.enrollments.delete(key);
    }
    for (const [key, expiresAt] of this.nonces) if (expiresAt <= now) this.nonces.delete(key);
    for (const [key, expiresAt] of this.challenges) {
      if (expiresAt <= now) this.challenges.delete(key);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.changes.removeAllListeners();
    return Promise.resolve();
  }

  private commit(
    key: string,
    apply: () => TransitionResult<TransactionRecord>,
  ): Promise<TransitionResult<TransactionRecord>> {
    return settle(() => {
      const result = apply();
      if (result.ok && !isUnchanged(result, this.transactions.get(key))) {
        this.transactions.set(key, result.record);
        this.changes.emit('change', key);
      }
      return result;
    });
  }
}

/**
 * Runs `work` now, as a promise: what it throws (a bad argument's TypeError, `duplicate`)
 * rejects, as it does with the stores that are asynchronous, instead of throwing at the caller.
 */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
