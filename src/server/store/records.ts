import * as v from 'valibot';

/**
 * What the Token Server stores. Ids and secrets are never stored as they are: every `key` is the
 * SHA-256 of the id that callers use, and every `…Hash` the SHA-256 of a secret, so that a copy of
 * the database gives nobody a usable transaction, OTP or enrollment code.
 */

/** A transaction's stored state; `expired` is not stored, it follows from `expiresAt`. */
export type TransactionState = 'created' | 'redeemed' | 'accepted' | 'denied';

/** The browser that asked for the login, as the website reported it. */
export interface RequesterContext {
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly languageCode: string | null;
}

export interface TransactionRecord {
  readonly key: string;
  readonly otpHash: string;
  readonly clientId: string;
  readonly type: string;
  readonly message: string;
  readonly callbackUri: string;
  readonly requester: RequesterContext;
  /** Second factor: only a device enrolled for this user may answer. */
  readonly requiredUserId: string | null;
  /** Number matching: the code the website shows, which the phone must pick. */
  readonly numberMatchCode: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly state: TransactionState;
  /** Goes up by one with every change, so that a wait can tell whether it missed one. */
  readonly version: number;
  readonly deviceId: string | null;
  readonly userId: string | null;
  readonly redeemedAt: number | null;
  readonly answeredAt: number | null;
  /** Why a denied transaction was not authenticated (Onegini's `not_authenticated_reason`). */
  readonly deniedReason: DeniedReason | null;
}

/** What a transaction is given when it starts; everything else begins empty. */
export type NewTransaction = Pick<
  TransactionRecord,
  | 'key'
  | 'otpHash'
  | 'clientId'
  | 'type'
  | 'message'
  | 'callbackUri'
  | 'requester'
  | 'requiredUserId'
  | 'numberMatchCode'
  | 'createdAt'
  | 'expiresAt'
>;

/** A transaction in its first state, `created`, at version 1. */
export function newTransactionRecord(fields: NewTransaction): TransactionRecord {
  return {
    ...fields,
    state: 'created',
    version: 1,
    deviceId: null,
    userId: null,
    redeemedAt: null,
    answeredAt: null,
    deniedReason: null,
  };
}

/** `not_accepted`: the user denied; `invalid_answer`: the user picked the wrong number. */
export type DeniedReason = 'not_accepted' | 'invalid_answer';

export interface EnrollmentRecord {
  readonly key: string;
  readonly secretHash: string;
  readonly clientId: string;
  readonly userId: string;
  /** The name the website gave the account, which the phone shows (isDisplayName); absent if none. */
  readonly displayName?: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The device that used the code; null while the code is unused. */
  readonly deviceId: string | null;
  readonly version: number;
}

export interface DeviceRecord {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly name: string;
  /** The device's ECDSA P-256 public key, as a JWK in JSON. */
  readonly publicKeyJwk: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Why a state change was refused. */
export type TransitionFailure =
  | 'not_found'
  | 'expired'
  | 'already_handled'
  | 'not_in_progress'
  | 'wrong_device'
  /** Second factor: the device belongs to another user than the request names. */
  | 'wrong_user';

export type TransitionResult<T> =
  | { readonly ok: true; readonly record: T }
  | { readonly ok: false; readonly reason: TransitionFailure };

/** True once a transaction can no longer change. */
export function isFinished(record: TransactionRecord, now: number): boolean {
  return record.state === 'accepted' || record.state === 'denied' || now >= record.expiresAt;
}

/*
 * What a stored record must be to be read back. These are the server's own records, not a wire
 * format: a store checks every value it reads against them (a value that fails is the store
 * error `unreadable`), so that another program's value under a store key, or a damaged row, is
 * never taken for a transaction, an enrollment or a device's key.
 */

/** SHA-256 as hex: every `key` and every `…Hash`. */
const Sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
/** Epoch milliseconds. */
const Time = v.pipe(v.number(), v.finite());
const Version = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

export const TransactionRecordSchema = v.object({
  key: Sha256Hex,
  otpHash: Sha256Hex,
  clientId: v.string(),
  type: v.string(),
  message: v.string(),
  callbackUri: v.string(),
  requester: v.object({
    ipAddress: v.nullable(v.string()),
    userAgent: v.nullable(v.string()),
    languageCode: v.nullable(v.string()),
  }),
  requiredUserId: v.nullable(v.string()),
  numberMatchCode: v.nullable(v.string()),
  createdAt: Time,
  expiresAt: Time,
  state: v.picklist(['created', 'redeemed', 'accepted', 'denied']),
  version: Version,
  deviceId: v.nullable(v.string()),
  userId: v.nullable(v.string()),
  redeemedAt: v.nullable(Time),
  answeredAt: v.nullable(Time),
  deniedReason: v.nullable(v.picklist(['not_accepted', 'invalid_answer'])),
}) satisfies v.GenericSchema<unknown, TransactionRecord>;

export const EnrollmentRecordSchema = v.object({
  key: Sha256Hex,
  secretHash: Sha256Hex,
  clientId: v.string(),
  userId: v.string(),
  displayName: v.optional(v.string()),
  createdAt: Time,
  expiresAt: Time,
  deviceId: v.nullable(v.string()),
  version: Version,
}) satisfies v.GenericSchema<unknown, EnrollmentRecord>;

export const DeviceRecordSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  clientId: v.string(),
  userId: v.string(),
  name: v.string(),
  publicKeyJwk: v.string(),
  createdAt: Time,
  revokedAt: v.nullable(Time),
}) satisfies v.GenericSchema<unknown, DeviceRecord>;
