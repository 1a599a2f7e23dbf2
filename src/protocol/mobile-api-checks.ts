import * as v from 'valibot';
import { importDevicePublicKey, webCryptoVerifier } from './device-public-key.js';
import { Hex128, MobileEnrollPreviewRequest, MobileEnrollRequest } from './mobile-api-contract.js';
import { isTransactionId } from './transaction-id.js';
import { MobileApiRefusal } from './mobile-api-refusals.js';
import {
  fromBase64Url,
  NONCE_PATTERN,
  sha256Base64Url,
  signatureBaseString,
  SIGNATURE_HEADERS,
} from './signed-request.js';

/*
 * What the mobile API checks of a call, in the order it checks, for the Token Server and the MSW
 * mock alike: the id in the path, the signature headers, the clock, the signature, the nonce, and
 * the body. Each check throws a MobileApiRefusal; docs/token-server-api.md ("Signing") lists them.
 * Only Web standards are used (WebCrypto), so that the mock runs in browsers too; the server
 * brings its own, faster, hash and verify where it has them.
 */

/** What the checks need of an HTTP request. */
export interface SignedHttpRequest {
  readonly method: string;
  /** Path and query as the server received them (line 3 of the signed text). */
  readonly pathAndQuery: string;
  readonly headers: Headers;
  /** The exact body bytes. */
  readonly body: Uint8Array;
}

/** Checks a device's signature over the signed text; WebCrypto's is {@link webCryptoVerifier}. */
export type SignatureVerifier = (
  signature: Uint8Array,
  signedText: string,
) => boolean | Promise<boolean>;

export interface SignatureCheckOptions {
  /** How far the phone's timestamp may be from `now()`, either way, in ms. */
  readonly clockSkewMs: number;
  /** The server's clock, ms since the epoch. */
  readonly now: () => number;
  /**
   * Uses up `nonce` for `scope` (a device id, or `enroll:` and the key's `x` for enrollment) and
   * keeps it at least until `keepUntil`; false if it was used before. Called only for a request
   * whose signature verified.
   */
  readonly claimNonce: (
    scope: string,
    nonce: string,
    keepUntil: number,
  ) => boolean | Promise<boolean>;
  /** base64url of the SHA-256 of the body; WebCrypto's unless given. */
  readonly bodySha256?: (body: Uint8Array) => string | Promise<string>;
}

/** The signature headers of a call, each one checked. */
export interface SignatureHeaderValues {
  /** 13 decimal digits: ms since the epoch on the phone's (corrected) clock. */
  readonly timestamp: string;
  readonly nonce: string;
  /** The raw r‖s signature, 64 bytes. */
  readonly signature: Uint8Array;
}

/** The `device-id` header: 32 lowercase hex. */
export const DeviceIdHeader = Hex128;
/** The `request-timestamp` header: ms since the epoch, exactly 13 digits. */
export const RequestTimestampHeader = v.pipe(v.string(), v.regex(/^\d{13}$/));
/** The `request-nonce` header: 16 to 64 base64url characters. */
export const RequestNonceHeader = v.pipe(v.string(), v.regex(NONCE_PATTERN));
/** The `request-signature` header: 64 bytes, base64url without padding (86 characters). */
export const RequestSignatureHeader = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{86}$/));

/**
 * The enrollment id in a path: a malformed one is as unknown as a wrong one (`request_not_found`).
 */
export function parseEnrollmentIdParam(id: string): string {
  if (!v.is(Hex128, id)) throw new MobileApiRefusal('request_not_found');
  return id;
}

/**
 * The transaction id in a path: a malformed one is as unknown as a wrong one (`request_not_found`).
 */
export function parseTransactionIdParam(id: string): string {
  if (!isTransactionId(id)) throw new MobileApiRefusal('request_not_found');
  return id;
}

/**
 * The device id in a path (a device's own passkey calls): a malformed one is as unknown as
 * another device's (`request_not_found`).
 */
export function parseDeviceIdParam(id: string): string {
  if (!v.is(Hex128, id)) throw new MobileApiRefusal('request_not_found', 'No such device.');
  return id;
}

/** The `device-id` header; throws `invalid_signature` when it is missing or malformed. */
export function readDeviceId(headers: Headers): string {
  const deviceId = headers.get(SIGNATURE_HEADERS.deviceId) ?? '';
  if (!v.is(DeviceIdHeader, deviceId)) {
    throw new MobileApiRefusal('invalid_signature', 'The device id is missing.');
  }
  return deviceId;
}

/** The timestamp, nonce and signature headers; throws `invalid_signature` for the first bad one. */
export function readSignatureHeaders(headers: Headers): SignatureHeaderValues {
  const timestamp = headers.get(SIGNATURE_HEADERS.timestamp) ?? '';
  const nonce = headers.get(SIGNATURE_HEADERS.nonce) ?? '';
  const signatureText = headers.get(SIGNATURE_HEADERS.signature) ?? '';
  if (!v.is(RequestTimestampHeader, timestamp)) {
    throw new MobileApiRefusal('invalid_signature', 'The timestamp is missing.');
  }
  if (!v.is(RequestNonceHeader, nonce)) {
    throw new MobileApiRefusal('invalid_signature', 'The nonce is missing.');
  }
  const signature = v.is(RequestSignatureHeader, signatureText)
    ? fromBase64Url(signatureText)
    : undefined;
  if (signature?.length !== 64) {
    throw new MobileApiRefusal('invalid_signature', 'The signature is missing.');
  }
  return { timestamp, nonce, signature };
}

/**
 * Checks the signature of a call: its headers, the timestamp against the clock
 * (`invalid_datetime`), the signature with `verify`, then uses up the nonce in `nonceScope`.
 * A refused call uses up nothing.
 */
export async function checkSignature(
  request: SignedHttpRequest,
  verify: SignatureVerifier,
  nonceScope: string,
  options: SignatureCheckOptions,
): Promise<void> {
  const { timestamp, nonce, signature } = readSignatureHeaders(request.headers);
  const sentAt = Number(timestamp);
  if (Math.abs(options.now() - sentAt) > options.clockSkewMs) {
    throw new MobileApiRefusal('invalid_datetime');
  }
  const signedText = signatureBaseString({
    method: request.method,
    pathAndQuery: request.pathAndQuery,
    bodySha256: await (options.bodySha256 ?? sha256Base64Url)(request.body),
    timestamp,
    nonce,
    deviceId: request.headers.get(SIGNATURE_HEADERS.deviceId) ?? '',
  });
  if (!(await verify(signature, signedText))) {
    throw new MobileApiRefusal('invalid_signature', 'The signature does not match.');
  }
  if (!(await options.claimNonce(nonceScope, nonce, sentAt + options.clockSkewMs))) {
    throw new MobileApiRefusal(
      'invalid_signature',
      'This request was sent before (replayed nonce).',
    );
  }
}

/** An enrolled device as the caller knows it, and how to check its signatures. */
export interface KnownDevice<D> {
  readonly device: D;
  readonly verify: SignatureVerifier;
}

/**
 * Checks a call of an enrolled device (redeem, answer): the `device-id` header, the device
 * (`device_deregistered` when `findDevice` knows none, or it was revoked), then its signature.
 */
export async function verifyDeviceCall<D>(
  request: SignedHttpRequest,
  findDevice: (deviceId: string) => Promise<KnownDevice<D> | undefined>,
  options: SignatureCheckOptions,
): Promise<D> {
  const deviceId = readDeviceId(request.headers);
  const known = await findDevice(deviceId);
  if (known === undefined) throw new MobileApiRefusal('device_deregistered');
  await checkSignature(request, known.verify, deviceId, options);
  return known.device;
}

/**
 * Checks an enrollment call, which the key being enrolled signs (proof of possession): unlike
 * the other calls, the body comes first (`invalid_body`; a `public_key` that is not a P-256
 * public key is `invalid_signature`), then the key, then its signature.
 */
export async function verifyEnrollmentCall(
  request: SignedHttpRequest,
  options: SignatureCheckOptions,
): Promise<{ body: MobileEnrollRequest; publicKey: CryptoKey }> {
  return verifyKeySignedCall(MobileEnrollRequest, request, options);
}

/**
 * Checks an enrollment's preview, signed like the enrollment by the key that will link, and in
 * the same order: body, key, signature.
 */
export async function verifyEnrollmentPreviewCall(
  request: SignedHttpRequest,
  options: SignatureCheckOptions,
): Promise<{ body: MobileEnrollPreviewRequest; publicKey: CryptoKey }> {
  return verifyKeySignedCall(MobileEnrollPreviewRequest, request, options);
}

/** A call signed by the key its own body carries (an enrollment, or its preview). */
async function verifyKeySignedCall<
  S extends typeof MobileEnrollRequest | typeof MobileEnrollPreviewRequest,
>(
  schema: S,
  request: SignedHttpRequest,
  options: SignatureCheckOptions,
): Promise<{ body: v.InferOutput<S>; publicKey: CryptoKey }> {
  const body = parseMobileApiBody(schema, request.body);
  const publicKey = await importDevicePublicKey(body.public_key);
  await checkSignature(
    request,
    webCryptoVerifier(publicKey),
    `enroll:${body.public_key.x}`,
    options,
  );
  return { body, publicKey };
}

/**
 * A request body: UTF-8 JSON of `schema`'s shape, or `invalid_body` naming the first bad field.
 * A bad `public_key` (enrollment) is `invalid_signature` instead, as the key is the signer; it
 * counts only when every other field is right.
 */
export function parseMobileApiBody<S extends v.GenericSchema>(
  schema: S,
  body: Uint8Array,
): v.InferOutput<S> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    throw new MobileApiRefusal('invalid_body', 'The body is not JSON.', { cause });
  }
  const result = v.safeParse(schema, json);
  if (result.success) return result.output;
  const fields = result.issues.map((issue) => v.getDotPath(issue) ?? 'body');
  const field = fields.find((path) => !isPublicKeyPath(path));
  if (field === undefined) {
    throw new MobileApiRefusal('invalid_signature', 'The public key is not a P-256 public key.');
  }
  throw new MobileApiRefusal('invalid_body', `The field ${field} is missing or invalid.`);
}

function isPublicKeyPath(path: string): boolean {
  return path === 'public_key' || path.startsWith('public_key.');
}
