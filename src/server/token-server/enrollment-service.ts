import {
  encodeCompactPayload,
  MobileApiRefusal,
  type DevicePublicJwk,
  type EnrollmentStatusResponse,
  type MobileEnrollPreviewResponse,
  type MobileEnrollResponse,
  randomShortCode,
} from '../../protocol/index.js';
import { digestsEqual, randomId128, sha256Hex } from '../security/hashing.js';
import type {
  DeviceRecord,
  EnrollmentRecord,
  RequesterContext,
  TransitionFailure,
} from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ClientConfig, TokenServerConfig } from './config.js';
import { toEnrollmentStatusResponse } from './enrollment-status.js';
import { relyingPartyError } from './errors.js';
import type { IpLocator } from './ip-location/ip-locator.js';
import { requesterPlace } from './ip-location/requester-place.js';
import { describeUserAgent, sameNetwork } from './requester-context.js';

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
  /** When the website confirmed the link; null while it has not (the device answers no login). */
  confirmed_at: string | null;
  revoked_at: string | null;
  /** Whether the phone has a passkey: it verifies its user (fingerprint, face) where a type asks. */
  user_verifying: boolean;
}

/** The browser that shows the linking page, as the website reports it. */
export interface LinkRequester {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * Linking phones to users: one-time enrollment codes, the devices they create, the website's
 * confirmation that its user sees the same code on the phone and the page, and revocation.
 */
export class EnrollmentService {
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      store: Store;
      config: TokenServerConfig;
      clock?: () => number;
      /** Where browsers seem to be; without it, the phone is shown no place. */
      ipLocator?: IpLocator;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The website starts linking a phone for a user who is logged in on the website. The display
   * name (checked by the route) is what the phone shows for the account instead of the user id;
   * the requester is the browser that shows the linking page, which the phone shows before it
   * links.
   */
  async start(
    client: ClientConfig,
    userId: string,
    displayName?: string,
    requester: LinkRequester = { ipAddress: null, userAgent: null },
  ): Promise<EnrollmentStartResponse> {
    const enrollmentId = randomId128();
    const secret = randomId128();
    const now = this.clock();
    const ttl = this.options.config.enrollmentTimeToLiveMs;
    const context: RequesterContext = { ...requester, languageCode: null };
    await this.options.store.insertEnrollment({
      key: sha256Hex(enrollmentId),
      secretHash: sha256Hex(secret),
      clientId: client.id,
      userId,
      ...(displayName === undefined ? {} : { displayName }),
      requester: context,
      createdAt: now,
      expiresAt: now + ttl,
      deviceId: null,
      compareCode: null,
      outcome: null,
      version: 1,
    });
    return {
      enrollment_id: enrollmentId,
      code: encodeCompactPayload({ kind: 'enrollment', format: 'compact', enrollmentId, secret }),
      time_to_live: ttl,
    };
  }

  /**
   * What the phone shows before it asks "Link this phone to …?": the account, the site and the
   * browser that shows the linking page. Changes nothing. Throws a MobileApiRefusal for an
   * unknown or used code, or one that expired, as `complete` would.
   */
  async preview(
    enrollmentId: string,
    secret: string,
    phoneIp: string | null,
  ): Promise<MobileEnrollPreviewResponse> {
    const enrollment = await this.options.store.getEnrollment(sha256Hex(enrollmentId));
    if (enrollment === undefined || !digestsEqual(enrollment.secretHash, sha256Hex(secret))) {
      throw linkFailure('not_found');
    }
    if (enrollment.deviceId !== null) throw linkFailure('already_handled');
    if (this.clock() >= enrollment.expiresAt) throw linkFailure('expired');
    const browserIp = enrollment.requester?.ipAddress ?? null;
    const { browser, os } = describeUserAgent(enrollment.requester?.userAgent ?? null);
    return {
      user_id: enrollment.userId,
      display_name: enrollment.displayName ?? null,
      site: this.siteName(enrollment.clientId),
      browser,
      os,
      same_network: sameNetwork(browserIp, phoneIp),
      place: requesterPlace(this.options.ipLocator ?? null, browserIp, phoneIp),
      expires_at: new Date(enrollment.expiresAt).toISOString(),
    };
  }

  /**
   * The phone uses the code with its new public key; the key's signature was checked already.
   * The device is stored pending, and both the phone and the linking page show the answer's
   * `compare_code` until the website confirms. Throws a MobileApiRefusal for an unknown or used
   * code, or one that expired.
   */
  async complete(
    enrollmentId: string,
    secret: string,
    publicKey: DevicePublicJwk,
    deviceName: string,
  ): Promise<MobileEnrollResponse> {
    const key = sha256Hex(enrollmentId);
    const enrollment = await this.options.store.getEnrollment(key);
    const now = this.clock();
    const device: DeviceRecord = {
      id: randomId128(),
      clientId: enrollment?.clientId ?? '',
      userId: enrollment?.userId ?? '',
      // What its passkey is registered under, when it registers one.
      ...(enrollment?.displayName === undefined ? {} : { displayName: enrollment.displayName }),
      name: deviceName,
      publicKeyJwk: JSON.stringify(publicKey),
      createdAt: now,
      revokedAt: null,
      confirmedAt: null,
    };
    const compareCode = randomShortCode();
    const result = await this.options.store.redeemEnrollment(key, {
      secretHash: sha256Hex(secret),
      device,
      now,
      compareCode,
      confirmBy: now + this.options.config.enrollmentConfirmTimeToLiveMs,
    });
    if (!result.ok) throw linkFailure(result.reason);
    return {
      device_id: device.id,
      user_id: device.userId,
      display_name: enrollment?.displayName ?? null,
      site: this.siteName(device.clientId),
      compare_code: compareCode,
    };
  }

  /** Where a link of this client stands; another client's reads as unknown. */
  async status(client: ClientConfig, enrollmentId: string): Promise<EnrollmentStatusResponse> {
    const record = await this.recordOf(client, enrollmentId);
    return this.statusResponse(enrollmentId, record);
  }

  /**
   * The website's user says whether the phone shows the linking page's code: `true` makes the
   * device answer logins, `false` revokes it (another phone used the code). Once only, and only
   * while the link waits for it.
   */
  async confirm(
    client: ClientConfig,
    enrollmentId: string,
    matches: boolean,
  ): Promise<EnrollmentStatusResponse> {
    await this.recordOf(client, enrollmentId);
    const result = await this.options.store.confirmEnrollment(sha256Hex(enrollmentId), {
      matches,
      now: this.clock(),
    });
    if (!result.ok) throw confirmFailure(result.reason);
    return this.statusResponse(enrollmentId, result.record);
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

  private async statusResponse(
    enrollmentId: string,
    record: EnrollmentRecord,
  ): Promise<EnrollmentStatusResponse> {
    const device =
      record.deviceId === null ? undefined : await this.options.store.getDevice(record.deviceId);
    return toEnrollmentStatusResponse(enrollmentId, record, device, this.clock());
  }

  private async recordOf(client: ClientConfig, enrollmentId: string): Promise<EnrollmentRecord> {
    const record = await this.options.store.getEnrollment(sha256Hex(enrollmentId));
    // Another client's enrollment reads as unknown: clients learn nothing of each other.
    if (record === undefined || record.clientId !== client.id) throw unknownEnrollment();
    return record;
  }

  private siteName(clientId: string): string {
    const client = this.options.config.clients.find((candidate) => candidate.id === clientId);
    return client?.name ?? clientId;
  }
}

/** An enrollment id that is not one of this client's, or not one at all. */
export function unknownEnrollment() {
  return relyingPartyError(
    'INVALID_TRANSACTION_ID',
    'No enrollment has this id (for this client).',
  );
}

function linkFailure(reason: TransitionFailure): MobileApiRefusal {
  if (reason === 'expired') {
    return new MobileApiRefusal('request_expired', 'This code to link a phone expired.');
  }
  if (reason === 'already_handled') return new MobileApiRefusal('device_already_enrolled');
  return new MobileApiRefusal('request_not_found', 'This code to link a phone is unknown.');
}

/** Why the website's word on a link was not taken: nothing changed. */
function confirmFailure(reason: TransitionFailure) {
  switch (reason) {
    case 'not_in_progress':
      return relyingPartyError('INVALID_PARAMETER', 'No phone has used this code yet.');
    case 'already_handled':
      return relyingPartyError('INVALID_PARAMETER', 'This link was confirmed or refused already.');
    case 'expired':
      return relyingPartyError('INVALID_PARAMETER', 'The time to confirm this link ran out.');
    default:
      return unknownEnrollment();
  }
}

function toEnrolledDevice(device: DeviceRecord): EnrolledDevice {
  const iso = (time: number) => new Date(time).toISOString();
  return {
    device_id: device.id,
    user_id: device.userId,
    name: device.name,
    created_at: iso(device.createdAt),
    // Absent in devices linked before links were confirmed: those count as confirmed when made.
    confirmed_at: device.confirmedAt === null ? null : iso(device.confirmedAt ?? device.createdAt),
    revoked_at: device.revokedAt === null ? null : iso(device.revokedAt),
    user_verifying: device.passkey !== undefined,
  };
}
