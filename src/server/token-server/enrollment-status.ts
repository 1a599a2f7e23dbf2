import type { EnrollmentStatus, EnrollmentStatusResponse } from '../../protocol/index.js';
import type { DeviceRecord, EnrollmentRecord } from '../store/records.js';

/**
 * Where a phone link stands, as the website reads it (relying-party-extensions.ts): the code
 * unused (`pending`) or run out (`expired`); used by a phone, and the website must ask its user
 * whether the phone shows the page's code (`confirm`, with that code); or the user's word
 * (`accepted`, `denied`). A link made before links were confirmed has no code and counts as
 * accepted, as its device does.
 */
export function enrollmentStatusOf(record: EnrollmentRecord, now: number): EnrollmentStatus {
  if (record.deviceId === null) return now >= record.expiresAt ? 'expired' : 'pending';
  if (record.outcome === 'confirmed') return 'accepted';
  if (record.outcome === 'refused') return 'denied';
  if (record.compareCode === undefined || record.compareCode === null) return 'accepted';
  return now >= record.expiresAt ? 'expired' : 'confirm';
}

/** The answer of `GET /enrollments/{id}` and `POST …/confirm`. */
export function toEnrollmentStatusResponse(
  enrollmentId: string,
  record: EnrollmentRecord,
  device: DeviceRecord | undefined,
  now: number,
): EnrollmentStatusResponse {
  const status = enrollmentStatusOf(record, now);
  return {
    enrollment_id: enrollmentId,
    status,
    user_id: record.userId,
    device_id: record.deviceId,
    device_name: device?.name ?? null,
    // Only while the website must ask: the code is of no use to anyone afterwards.
    ...(status === 'confirm' && typeof record.compareCode === 'string'
      ? { compare_code: record.compareCode }
      : {}),
    expires_at: new Date(record.expiresAt).toISOString(),
  };
}
