import { digestsEqual } from '../security/hashing.js';
import type {
  DeniedReason,
  DeviceRecord,
  EnrollmentRecord,
  TransactionRecord,
  TransitionResult,
} from './records.js';

/*
 * The state machine, as pure functions of the current record. Each adapter reads the record,
 * applies one of these and writes the result only if nobody changed the record in between
 * (compare-and-set on `version`), which makes every transition atomic.
 */

export function redeem(
  record: TransactionRecord | undefined,
  change: { otpHash: string; deviceId: string; userId: string; now: number },
): TransitionResult<TransactionRecord> {
  if (record === undefined || !digestsEqual(record.otpHash, change.otpHash)) {
    return { ok: false, reason: 'not_found' };
  }
  if (record.state === 'redeemed' && record.deviceId === change.deviceId) {
    // The phone that redeemed asks again: its first response was lost on the way (a phone's
    // network does that). It gets the same details; nothing changes, so the record is returned
    // as it is, and the stores write nothing and wake no one (see `isUnchanged`).
    if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }
  if (record.state !== 'created') return { ok: false, reason: 'already_handled' };
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  if (record.requiredUserId !== null && record.requiredUserId !== change.userId) {
    return { ok: false, reason: 'wrong_user' };
  }
  return {
    ok: true,
    record: {
      ...record,
      state: 'redeemed',
      deviceId: change.deviceId,
      userId: change.userId,
      redeemedAt: change.now,
      version: record.version + 1,
    },
  };
}

export function answer(
  record: TransactionRecord | undefined,
  change: { deviceId: string; accepted: boolean; now: number; deniedReason?: DeniedReason },
): TransitionResult<TransactionRecord> {
  if (record === undefined) return { ok: false, reason: 'not_found' };
  if (record.state === 'accepted' || record.state === 'denied') {
    return { ok: false, reason: 'already_handled' };
  }
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  if (record.state !== 'redeemed') return { ok: false, reason: 'not_in_progress' };
  if (record.deviceId !== change.deviceId) return { ok: false, reason: 'wrong_device' };
  return {
    ok: true,
    record: {
      ...record,
      state: change.accepted ? 'accepted' : 'denied',
      deniedReason: change.accepted ? null : (change.deniedReason ?? 'not_accepted'),
      answeredAt: change.now,
      version: record.version + 1,
    },
  };
}

export function redeemEnrollmentCode(
  record: EnrollmentRecord | undefined,
  change: { secretHash: string; device: DeviceRecord; now: number },
): TransitionResult<EnrollmentRecord> {
  if (record === undefined || !digestsEqual(record.secretHash, change.secretHash)) {
    return { ok: false, reason: 'not_found' };
  }
  if (record.deviceId !== null) return { ok: false, reason: 'already_handled' };
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    record: { ...record, deviceId: change.device.id, version: record.version + 1 },
  };
}

/** True when a transition succeeded without changing anything (a repeated redemption). */
export function isUnchanged<T>(result: TransitionResult<T>, current: T | undefined): boolean {
  return result.ok && result.record === current;
}
