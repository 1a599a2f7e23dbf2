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
 *
 * A value that a transition stores is checked here first (a TypeError, and nothing written): a
 * record that the store's schema (records.ts) would not read back would lock its login or link
 * out for good, as `unreadable`.
 */

export function redeem(
  record: TransactionRecord | undefined,
  change: {
    otpHash: string;
    deviceId: string;
    userId: string;
    now: number;
    shownDigest: string;
    phoneIp?: string | null;
  },
): TransitionResult<TransactionRecord> {
  requireSha256Hex(change.shownDigest, 'shownDigest');
  if (record === undefined || !digestsEqual(record.otpHash, change.otpHash)) {
    return { ok: false, reason: 'not_found' };
  }
  if (record.state === 'redeemed' && record.deviceId === change.deviceId) {
    // The phone that redeemed asks again: its first response was lost on the way (a phone's
    // network does that). It gets the same details; nothing changes, so the record is returned
    // as it is (with the digest of what the first redemption sent), and the stores write
    // nothing and wake no one (see `isUnchanged`).
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
      shownDigest: change.shownDigest,
      phoneIp: change.phoneIp ?? null,
      version: record.version + 1,
    },
  };
}

export function answer(
  record: TransactionRecord | undefined,
  change: {
    deviceId: string;
    accepted: boolean;
    now: number;
    deniedReason?: DeniedReason;
    presence?: { codeHash: string; tries: number; expiresAt: number };
  },
): TransitionResult<TransactionRecord> {
  const { presence } = change;
  if (presence !== undefined) {
    requireSha256Hex(presence.codeHash, 'presence.codeHash');
    if (!Number.isSafeInteger(presence.tries) || presence.tries < 1) {
      throw new TypeError('presence.tries must be a whole number of at least 1.');
    }
    requireTime(presence.expiresAt, 'presence.expiresAt');
  }
  if (record === undefined) return { ok: false, reason: 'not_found' };
  // The phone has answered once an accept awaits its code: a second answer (a deny that would
  // cancel the login, or an accept with a fresh code) is as late as after the outcome.
  if (
    record.state === 'accepted' ||
    record.state === 'denied' ||
    record.state === 'awaiting_presence'
  ) {
    return { ok: false, reason: 'already_handled' };
  }
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  if (record.state !== 'redeemed') return { ok: false, reason: 'not_in_progress' };
  if (record.deviceId !== change.deviceId) return { ok: false, reason: 'wrong_device' };
  const answered = { ...record, answeredAt: change.now, version: record.version + 1 };
  if (!change.accepted) {
    return {
      ok: true,
      record: { ...answered, state: 'denied', deniedReason: change.deniedReason ?? 'not_accepted' },
    };
  }
  if (presence === undefined) {
    return { ok: true, record: { ...answered, state: 'accepted', deniedReason: null } };
  }
  return {
    ok: true,
    record: {
      ...answered,
      state: 'awaiting_presence',
      deniedReason: null,
      presenceCodeHash: presence.codeHash,
      presenceTriesLeft: presence.tries,
      // The browser's time to type the code, not the QR's time to be scanned.
      expiresAt: presence.expiresAt,
    },
  };
}

/**
 * The browser types the code that the phone shows after Accept (proof of presence). A right
 * code accepts; a wrong one costs a try, and the last try denies (`presence_failed`), so that
 * a relaying attacker gets a few guesses at a 6-digit code, never a million.
 */
export function provePresence(
  record: TransactionRecord | undefined,
  change: { codeHash: string; now: number },
): TransitionResult<TransactionRecord> {
  requireSha256Hex(change.codeHash, 'codeHash');
  if (record === undefined) return { ok: false, reason: 'not_found' };
  if (record.state === 'accepted' || record.state === 'denied') {
    return { ok: false, reason: 'already_handled' };
  }
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  if (record.state !== 'awaiting_presence' || record.presenceCodeHash === null) {
    return { ok: false, reason: 'not_in_progress' };
  }
  const cleared = {
    ...record,
    presenceCodeHash: null,
    presenceTriesLeft: null,
    version: record.version + 1,
  };
  if (digestsEqual(record.presenceCodeHash, change.codeHash)) {
    return { ok: true, record: { ...cleared, state: 'accepted', deniedReason: null } };
  }
  const triesLeft = (record.presenceTriesLeft ?? 1) - 1;
  if (triesLeft <= 0) {
    return { ok: true, record: { ...cleared, state: 'denied', deniedReason: 'presence_failed' } };
  }
  return {
    ok: true,
    record: { ...record, presenceTriesLeft: triesLeft, version: record.version + 1 },
  };
}

/**
 * A phone uses an enrollment code. The device it enrolls is stored as the caller made it
 * (pending, `confirmedAt: null`, for a link the website must confirm); the enrollment keeps the
 * device's id and the code that the phone and the linking page both show, and now waits for
 * the website's word until `confirmBy`.
 */
export function redeemEnrollmentCode(
  record: EnrollmentRecord | undefined,
  change: {
    secretHash: string;
    device: DeviceRecord;
    now: number;
    compareCode: string;
    confirmBy: number;
  },
): TransitionResult<EnrollmentRecord> {
  if (!/^\d{6}$/.test(change.compareCode)) {
    throw new TypeError('compareCode must be 6 digits.');
  }
  requireTime(change.confirmBy, 'confirmBy');
  if (change.device.id === '') throw new TypeError('The device needs an id.');
  if (record === undefined || !digestsEqual(record.secretHash, change.secretHash)) {
    return { ok: false, reason: 'not_found' };
  }
  if (record.deviceId !== null) return { ok: false, reason: 'already_handled' };
  if (change.now >= record.expiresAt) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    record: {
      ...record,
      deviceId: change.device.id,
      compareCode: change.compareCode,
      expiresAt: change.confirmBy,
      version: record.version + 1,
    },
  };
}

/** What a confirmation writes: the enrollment and its device, together. */
export interface ConfirmedLink {
  readonly enrollment: EnrollmentRecord;
  /** The device as it is to be stored; the very object read when it does not change. */
  readonly device: DeviceRecord;
}

/**
 * The website's word on a used enrollment code: the user saw the same code on the linking page
 * as on the phone (`matches`: the device becomes active), or not (the device is revoked: another
 * phone used the code).
 *
 * A device that was revoked meanwhile (its owner removed it, or the phone unlinked itself)
 * stays revoked whatever the answer: the link ends `refused`, and the device is returned as it
 * was read, so that nothing undoes or re-dates the revocation. A device missing under a used
 * code is `not_found`.
 */
export function confirmEnrollmentLink(
  enrollment: EnrollmentRecord | undefined,
  device: DeviceRecord | undefined,
  change: { matches: boolean; now: number },
): TransitionResult<ConfirmedLink> {
  if (typeof change.matches !== 'boolean') throw new TypeError('matches must be true or false.');
  if (enrollment === undefined) return { ok: false, reason: 'not_found' };
  if (enrollment.deviceId === null) return { ok: false, reason: 'not_in_progress' };
  if (enrollment.outcome !== undefined && enrollment.outcome !== null) {
    return { ok: false, reason: 'already_handled' };
  }
  if (change.now >= enrollment.expiresAt) return { ok: false, reason: 'expired' };
  if (device?.id !== enrollment.deviceId) return { ok: false, reason: 'not_found' };
  const decided = (outcome: 'confirmed' | 'refused'): EnrollmentRecord => ({
    ...enrollment,
    outcome,
    version: enrollment.version + 1,
  });
  if (device.revokedAt !== null)
    return { ok: true, record: { enrollment: decided('refused'), device } };
  return {
    ok: true,
    record: change.matches
      ? { enrollment: decided('confirmed'), device: { ...device, confirmedAt: change.now } }
      : { enrollment: decided('refused'), device: { ...device, revokedAt: change.now } },
  };
}

/** True when a transition succeeded without changing anything (a repeated redemption). */
export function isUnchanged<T>(result: TransitionResult<T>, current: T | undefined): boolean {
  return result.ok && result.record === current;
}

function requireSha256Hex(value: string, name: string): void {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    throw new TypeError(`${name} must be a SHA-256 digest as 64 lower-case hex digits.`);
  }
}

function requireTime(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a time in epoch milliseconds.`);
  }
}
