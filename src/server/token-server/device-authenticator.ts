import type { MobileEnrollPreviewRequest } from '../../protocol/index.js';
import {
  MobileApiRefusal,
  parseDevicePublicJwk,
  readDeviceId,
  verifyDeviceCall,
  verifyEnrollmentCall,
  verifyEnrollmentPreviewCall,
  type KnownDevice,
  type MobileEnrollRequest,
  type SignatureCheckOptions,
  type SignatureVerifier,
  type SignedHttpRequest,
} from '../../protocol/index.js';
import { isActiveDevice, type DeviceRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { nodeVerifierFor, sha256Base64UrlSync } from './device-key.js';

const MAX_KEY_CACHE = 10_000;

/**
 * Verifies the signature on every mobile API call with the checks of src/protocol
 * (mobile-api-checks.ts, which the MSW mock runs too): the device's key over method, path, body
 * hash, timestamp and nonce. Refuses unknown or revoked devices, bad signatures, timestamps
 * outside the allowed clock skew and nonces used before, and devices whose link the website has
 * not confirmed, with a MobileApiRefusal.
 */
export class DeviceAuthenticator {
  private readonly verifiers = new Map<string, SignatureVerifier>();
  private readonly checks: SignatureCheckOptions;

  constructor(
    private readonly options: { store: Store; clockSkewMs: number; clock?: () => number },
  ) {
    this.checks = {
      clockSkewMs: options.clockSkewMs,
      now: options.clock ?? Date.now,
      claimNonce: (scope, nonce, keepUntil) => options.store.claimNonce(scope, nonce, keepUntil),
      bodySha256: sha256Base64UrlSync,
    };
  }

  /**
   * Verifies a call of an enrolled device and returns that device: one whose link is still
   * pending is refused (`link_not_confirmed`) once its signature has verified, so that only the
   * phone itself learns where its link stands.
   */
  async verify(request: SignedHttpRequest): Promise<DeviceRecord> {
    const device = await verifyDeviceCall(request, (deviceId) => this.find(deviceId), this.checks);
    if (!isActiveDevice(device)) throw new MobileApiRefusal('link_not_confirmed');
    return device;
  }

  /**
   * Verifies a call of a device about itself (its passkey), whose path names it: `pathDeviceId`.
   * A device whose link is pending may call (a phone registers its passkey as it links); a
   * revoked one may not. A path that names another device than the signer is
   * `request_not_found`, checked before the signature: no device learns of another.
   */
  async verifyOwnCall(request: SignedHttpRequest, pathDeviceId: string): Promise<DeviceRecord> {
    if (readDeviceId(request.headers) !== pathDeviceId) {
      throw new MobileApiRefusal('request_not_found', 'The path names another device.');
    }
    return verifyDeviceCall(request, (deviceId) => this.find(deviceId), this.checks);
  }

  /** Verifies an enrollment call, which the key being enrolled signs, and returns its body. */
  async verifyEnrollment(request: SignedHttpRequest): Promise<MobileEnrollRequest> {
    return (await verifyEnrollmentCall(request, this.checks)).body;
  }

  /**
   * Verifies a preview of an enrollment, signed like the enrollment by the key that will link
   * (checked in the enrollment's order: body, key, signature), and returns its body.
   */
  async verifyEnrollmentPreview(request: SignedHttpRequest): Promise<MobileEnrollPreviewRequest> {
    return (await verifyEnrollmentPreviewCall(request, this.checks)).body;
  }

  /** A device that is not revoked, with its verifier; undefined for any other. */
  private async find(deviceId: string): Promise<KnownDevice<DeviceRecord> | undefined> {
    const device = await this.options.store.getDevice(deviceId);
    if (device === undefined || device.revokedAt !== null) return undefined;
    const verify = await this.verifierOf(device);
    return verify === undefined ? undefined : { device, verify };
  }

  private async verifierOf(device: DeviceRecord): Promise<SignatureVerifier | undefined> {
    const cached = this.verifiers.get(device.id);
    if (cached !== undefined) return cached;
    const jwk = parseDevicePublicJwk(JSON.parse(device.publicKeyJwk));
    if (jwk === undefined) return undefined;
    let verify: SignatureVerifier;
    try {
      verify = await nodeVerifierFor(jwk);
    } catch {
      return undefined;
    }
    if (this.verifiers.size >= MAX_KEY_CACHE) this.verifiers.clear();
    this.verifiers.set(device.id, verify);
    return verify;
  }
}
