import * as v from 'valibot';
import {
  DeviceRecordSchema,
  EnrollmentRecordSchema,
  TransactionRecordSchema,
  type DeviceRecord,
  type EnrollmentRecord,
  type TransactionRecord,
} from './records.js';
import { StoreError } from './store-error.js';

/**
 * Reads a record that a store kept as JSON text, or fails with the store error `unreadable`.
 * Every value read back is checked: what decides who is logged in or which key signs must not
 * be a value that another program (or an older version) wrote under the same key, half read.
 */
export function readStoredJson<T>(
  schema: v.GenericSchema<unknown, T>,
  text: string,
  what: string,
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw unreadable(what, cause);
  }
  const checked = v.safeParse(schema, json);
  if (!checked.success) throw unreadable(what, new v.ValiError(checked.issues));
  return checked.output;
}

/** The Token Server's records, as the stores that keep text (Redis, SQLite) read them back. */
export function storedTransaction(text: string): TransactionRecord {
  return readStoredJson(TransactionRecordSchema, text, 'transaction');
}

export function storedEnrollment(text: string): EnrollmentRecord {
  return readStoredJson(EnrollmentRecordSchema, text, 'enrollment');
}

export function storedDevice(text: string): DeviceRecord {
  return readStoredJson(DeviceRecordSchema, text, 'device');
}

function unreadable(what: string, cause: unknown): StoreError {
  return new StoreError('unreadable', `The stored ${what} is not one this store wrote.`, {
    cause,
  });
}
