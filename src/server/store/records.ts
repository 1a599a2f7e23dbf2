import * as v from 'valibot';

/**
 * What the Token Server stores. Ids and secrets are never stored as they are: every `key` is the
 * SHA-256 of the id that callers use, and every `…Hash` the SHA-256 of a secret, so that a copy of
 * the database gives nobody a usable transaction, OTP or enrollment code.
 */

/**
 * A transaction's stored state; `expired` is not stored, it follows from `expiresAt`.
 * `awaiting_presence`: the phone accepted, and the browser must type the code the phone shows
 * (proof of presence) before the transaction is `accepted`.
 */
export type TransactionState = 'created' | 'redeemed' | 'awaiting_presence' | 'accepted' | 'denied';

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
  /**
   * shownDigest() of the details the redemption sent the phone, set on redemption; the answer
   * must carry the same. Null before redemption (and in records from before it existed).
   */
  readonly shownDigest: string | null;
  /**
   * The address the phone redeemed from (null when unknown, and in records from before it was
   * kept): a repeated redemption, and the answer, are judged by the details shown for it.
   */
  readonly phoneIp: string | null;
  /** While `awaiting_presence`: the SHA-256 of the code the phone shows. */
  readonly presenceCodeHash: string | null;
  /** While `awaiting_presence`: the codes the browser may still type. */
  readonly presenceTriesLeft: number | null;
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
    shownDigest: null,
    phoneIp: null,
    presenceCodeHash: null,
    presenceTriesLeft: null,
  };
}

/**
 * `not_accepted`: the user denied; `invalid_answer`: the user picked the wrong number;
 * `presence_failed`: the browser typed a wrong proof-of-presence code too often.
 */
export type DeniedReason = 'not_accepted' | 'invalid_answer' | 'presence_failed';

/** How a phone link ended: the website's user said the codes match, or that they differ. */
export type LinkOutcome = 'confirmed' | 'refused';

export interface EnrollmentRecord {
  readonly key: string;
  readonly secretHash: string;
  readonly clientId: string;
  readonly userId: string;
  /** The name the website gave the account, which the phone shows (isDisplayName); absent if none. */
  readonly displayName?: string;
  /** The browser that shows the linking page (absent in records from before it was kept). */
  readonly requester?: RequesterContext;
  readonly createdAt: number;
  /** Until the code is used: when it expires. Once used: the end of the wait for confirmation. */
  readonly expiresAt: number;
  /** The device that used the code; null while the code is unused. */
  readonly deviceId: string | null;
  /** Set when a device used the code: what the phone and the linking page show. */
  readonly compareCode?: string | null;
  /** The website's word on the codes; null or absent while not given. */
  readonly outcome?: LinkOutcome | null;
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
  /**
   * When the website confirmed the link (the user compared the codes); null while pending: a
   * pending device answers no login. Absent in records from before links were confirmed, which
   * count as confirmed.
   */
  readonly confirmedAt?: number | null;
  /**
   * The name the website gave the account when this device linked (the enrollment's), which its
   * passkey is registered under; absent when the website gave none, and in older records.
   */
  readonly displayName?: string;
  /**
   * The device's platform passkey, which verifies its user (fingerprint, face) on Accept where
   * the login type asks for it; absent when it has none (see src/protocol/user-verification.ts).
   */
  readonly passkey?: DevicePasskey;
}

/** A WebAuthn credential as the Token Server keeps it to verify assertions. */
export interface DevicePasskey {
  /** The credential id, base64url. */
  readonly credentialId: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The signature counter last seen (0 for authenticators that keep none). */
  readonly counter: number;
  /** The authenticator's transports, as the browser reported them. */
  readonly transports: readonly string[];
  /** When it was registered. */
  readonly registeredAt: number;
}

/** Whether a device may answer logins: not revoked, and its link confirmed. */
export function isActiveDevice(device: DeviceRecord): boolean {
  return device.revokedAt === null && device.confirmedAt !== null;
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
  state: v.picklist(['created', 'redeemed', 'awaiting_presence', 'accepted', 'denied']),
  version: Version,
  deviceId: v.nullable(v.string()),
  userId: v.nullable(v.string()),
  redeemedAt: v.nullable(Time),
  answeredAt: v.nullable(Time),
  deniedReason: v.nullable(v.picklist(['not_accepted', 'invalid_answer', 'presence_failed'])),
  // Absent in records written before these fields: read as null.
  shownDigest: v.optional(v.nullable(Sha256Hex), null),
  phoneIp: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64))), null),
  presenceCodeHash: v.optional(v.nullable(Sha256Hex), null),
  presenceTriesLeft: v.optional(
    v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
    null,
  ),
}) satisfies v.GenericSchema<unknown, TransactionRecord>;

export const EnrollmentRecordSchema = v.object({
  key: Sha256Hex,
  secretHash: Sha256Hex,
  clientId: v.string(),
  userId: v.string(),
  displayName: v.optional(v.string()),
  requester: v.optional(
    v.object({
      ipAddress: v.nullable(v.string()),
      userAgent: v.nullable(v.string()),
      languageCode: v.nullable(v.string()),
    }),
  ),
  createdAt: Time,
  expiresAt: Time,
  deviceId: v.nullable(v.string()),
  compareCode: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d{6}$/)))),
  outcome: v.optional(v.nullable(v.picklist(['confirmed', 'refused']))),
  version: Version,
}) satisfies v.GenericSchema<unknown, EnrollmentRecord>;

/** base64url without padding, as WebAuthn's JSON forms write bytes. */
const Base64Url = (maxLength: number) =>
  v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/), v.maxLength(maxLength));

export const DevicePasskeySchema = v.object({
  credentialId: Base64Url(1024),
  publicKey: Base64Url(2048),
  // WebAuthn's signature counter is 32 bits.
  counter: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(0xffff_ffff)),
  transports: v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(8)),
  registeredAt: Time,
}) satisfies v.GenericSchema<unknown, DevicePasskey>;

export const DeviceRecordSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  clientId: v.string(),
  userId: v.string(),
  name: v.string(),
  publicKeyJwk: v.string(),
  createdAt: Time,
  revokedAt: v.nullable(Time),
  confirmedAt: v.optional(v.nullable(Time)),
  displayName: v.optional(v.string()),
  // Absent in devices without a passkey, and in records from before passkeys.
  passkey: v.optional(DevicePasskeySchema),
}) satisfies v.GenericSchema<unknown, DeviceRecord>;
