import {
  encodeCompactPayload,
  MobileApiRefusal,
  type DevicePublicJwk,
  type MobileEnrollResponse,
} from '../../protocol/index.js';
import { randomId128, sha256Hex } from '../security/hashing.js';
import type { DeviceRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ClientConfig, TokenServerConfig } from './config.js';
import { relyingPartyError } from './errors.js';

export interface EnrollmentStartResponse {
  enrollment_id: string;
  /** The compact enrollment code for the QR: the website puts it in the app URL's fragment. */
  code: string;
  time_to_live: number;
}

export interface EnrolledDevice {
  device_id: string;
  user_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

/** Linking phones to users: one-time enrollment codes, the devices they create, revocation. */
export class EnrollmentService {
  private readonly clock: () => number;

  constructor(
    private readonly options: { store: Store; config: TokenServerConfig; clock?: () => number },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The website starts linking a phone for a user who is logged in on the website. The display
   * name (checked by the route) is what the phone shows for the account instead of the user id.
   */
  async start(
    client: ClientConfig,
    userId: string,
    displayName?: string,
  ): Promise<EnrollmentStartResponse> {
    const enrollmentId = randomId128();
    const secret = randomId128();
    const now = this.clock();
    const ttl = this.options.config.enrollmentTimeToLiveMs;
    await this.options.store.insertEnrollment({
      key: sha256Hex(enrollmentId),
      secretHash: sha256Hex(secret),
      clientId: client.id,
      userId,
      ...(displayName === undefined ? {} : { displayName }),
      createdAt: now,
      expiresAt: now + ttl,
      deviceId: null,
      version: 1,
    });
    return {
      enrollment_id: enrollmentId,
      code: encodeCompactPayload({ kind: 'enrollment', format: 'compact', enrollmentId, secret }),
      time_to_live: ttl,
    };
  }

  /**
   * The phone uses the code with its new public key; the key's signature was checked already.
   * Throws a MobileApiRefusal for an unknown or used code, or one that expired.
   */
  async complete(
    enrollmentId: string,
    secret: string,
    publicKey: DevicePublicJwk,
    deviceName: string,
  ): Promise<MobileEnrollResponse> {
    const key = sha256Hex(enrollmentId);
    const enrollment = await this.options.store.getEnrollment(key);
    const device: DeviceRecord = {
      id: randomId128(),
      clientId: enrollment?.clientId ?? '',
      userId: enrollment?.userId ?? '',
      name: deviceName,
      publicKeyJwk: JSON.stringify(publicKey),
      createdAt: this.clock(),
      revokedAt: null,
    };
    const result = await this.options.store.redeemEnrollment(key, {
      secretHash: sha256Hex(secret),
      device,
      now: this.clock(),
    });
    if (!result.ok) {
      if (result.reason === 'expired')
        throw new MobileApiRefusal('request_expired', 'This code to link a phone expired.');
      if (result.reason === 'already_handled')
        throw new MobileApiRefusal('device_already_enrolled');
      throw new MobileApiRefusal('request_not_found', 'This code to link a phone is unknown.');
    }
    const client = this.options.config.clients.find(
      (candidate) => candidate.id === device.clientId,
    );
    return {
      device_id: device.id,
      user_id: device.userId,
      display_name: enrollment?.displayName ?? null,
      site: client?.name ?? device.clientId,
    };
  }

  async listDevices(client: ClientConfig, userId: string): Promise<EnrolledDevice[]> {
    const devices = await this.options.store.listDevices(client.id, userId);
    return devices.map(toEnrolledDevice);
  }

  async revoke(client: ClientConfig, deviceId: string): Promise<void> {
    const device = await this.options.store.getDevice(deviceId);
    if (device === undefined || device.clientId !== client.id || device.revokedAt !== null) {
      throw relyingPartyError('NO_AUTHENTICATION_POSSIBILITIES', 'No such device.');
    }
    await this.options.store.revokeDevice(deviceId, this.clock());
  }
}

function toEnrolledDevice(device: DeviceRecord): EnrolledDevice {
  return {
    device_id: device.id,
    user_id: device.userId,
    name: device.name,
    created_at: new Date(device.createdAt).toISOString(),
    revoked_at: device.revokedAt === null ? null : new Date(device.revokedAt).toISOString(),
  };
}
