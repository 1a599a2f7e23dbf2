import type { KeyObject } from 'node:crypto';
import {
  fromBase64Url,
  NONCE_PATTERN,
  signatureBaseString,
  SIGNATURE_HEADERS,
} from '../../protocol/index.js';
import type { DeviceRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import {
  importDevicePublicKey,
  parseDevicePublicJwk,
  sha256Base64UrlSync,
  verifyDeviceSignature,
  type DevicePublicJwk,
} from './device-key.js';
import { mobileError } from './errors.js';

/** What the authenticator needs of an HTTP request. */
export interface SignedRequest {
  method: string;
  pathAndQuery: string;
  headers: Headers;
  body: Uint8Array;
}

const MAX_KEY_CACHE = 10_000;

/**
 * Verifies the signature on every mobile API call: the device's key over method, path, body
 * hash, timestamp and nonce. Refuses unknown or revoked devices, bad signatures, timestamps
 * outside the allowed clock skew and nonces used before.
 */
export class DeviceAuthenticator {
  private readonly keys = new Map<string, KeyObject>();
  private readonly clock: () => number;

  constructor(
    private readonly options: { store: Store; clockSkewMs: number; clock?: () => number },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Verifies a call of an enrolled device and returns that device. */
  async verify(request: SignedRequest): Promise<DeviceRecord> {
    const deviceId = request.headers.get(SIGNATURE_HEADERS.deviceId) ?? '';
    if (!/^[0-9a-f]{32}$/.test(deviceId)) throw invalidSignature('The device id is missing.');
    const device = await this.options.store.getDevice(deviceId);
    if (device === undefined || device.revokedAt !== null) {
      throw mobileError('DEVICE_DEREGISTERED', 401);
    }
    const key = this.keyOf(device);
    await this.check(request, key, deviceId);
    return device;
  }

  /** Verifies an enrollment call, which the key being enrolled signs (proof of possession). */
  async verifyEnrollment(request: SignedRequest, publicKey: unknown): Promise<DevicePublicJwk> {
    const jwk = parseDevicePublicJwk(publicKey);
    if (jwk === undefined) throw invalidSignature('The public key is not a P-256 public key.');
    let key: KeyObject;
    try {
      key = importDevicePublicKey(jwk);
    } catch (cause) {
      throw invalidSignature('The public key is not a valid P-256 key.', cause);
    }
    await this.check(request, key, `enroll:${jwk.x}`);
    return jwk;
  }

  private async check(request: SignedRequest, key: KeyObject, nonceScope: string): Promise<void> {
    const headers = request.headers;
    const timestamp = headers.get(SIGNATURE_HEADERS.timestamp) ?? '';
    const nonce = headers.get(SIGNATURE_HEADERS.nonce) ?? '';
    const signature = fromBase64Url(headers.get(SIGNATURE_HEADERS.signature) ?? '');
    if (!/^\d{13}$/.test(timestamp)) throw invalidSignature('The timestamp is missing.');
    if (!NONCE_PATTERN.test(nonce)) throw invalidSignature('The nonce is missing.');
    if (signature?.length !== 64) throw invalidSignature('The signature is missing.');
    const skew = this.options.clockSkewMs;
    const sentAt = Number(timestamp);
    if (Math.abs(this.clock() - sentAt) > skew) {
      throw mobileError('INVALID_DATETIME', 401, "The phone's clock is too far from the server's.");
    }
    const signed = signatureBaseString({
      method: request.method,
      pathAndQuery: request.pathAndQuery,
      bodySha256: sha256Base64UrlSync(request.body),
      timestamp,
      nonce,
      deviceId: headers.get(SIGNATURE_HEADERS.deviceId) ?? '',
    });
    if (!verifyDeviceSignature(key, signature, signed)) {
      throw invalidSignature('The signature does not match.');
    }
    // Only a verified request may use up a nonce; it is kept as long as its timestamp is valid.
    if (!(await this.options.store.claimNonce(nonceScope, nonce, sentAt + skew))) {
      throw invalidSignature('This request was sent before (replayed nonce).');
    }
  }

  private keyOf(device: DeviceRecord): KeyObject {
    const cached = this.keys.get(device.id);
    if (cached !== undefined) return cached;
    const jwk = parseDevicePublicJwk(JSON.parse(device.publicKeyJwk));
    if (jwk === undefined) throw mobileError('DEVICE_DEREGISTERED', 401);
    const key = importDevicePublicKey(jwk);
    if (this.keys.size >= MAX_KEY_CACHE) this.keys.clear();
    this.keys.set(device.id, key);
    return key;
  }
}

function invalidSignature(message: string, cause?: unknown): Error {
  const error = mobileError('INVALID_REQUEST', 401, message);
  if (cause !== undefined) Object.assign(error, { cause });
  return error;
}
