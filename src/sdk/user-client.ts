import {
  decodeAuthenticationPayload,
  decodeEnrollmentPayload,
  isDisplayName,
  QrPayloadError,
  type AuthenticationPayload,
  type EnrollmentPayload,
} from '../protocol/index.js';
import { exportPublicJwk, generateDeviceKey, newNonce } from './device-key.js';
import type { StoredProfile } from './device-storage.js';
import { OneginiError, oneginiError } from './onegini-error.js';
import type { OneginiEnrollmentPreview } from './onegini-enrollment-preview.js';
import type { OneginiEnrolledUserProfile, OneginiUserProfile } from './onegini-user-profile.js';
import { OtpFlow } from './otp-flow.js';
import { setUpPasskey } from './passkey-registration.js';
import type { PasskeySetup } from './passkey-setup.js';
import { toEnrollmentPreview, toPublicProfile, toRequest } from './profile-mapping.js';
import { defaultDeviceName } from './resolved-config.js';
import type { SdkRuntime, StartedApplication } from './sdk-runtime.js';

/** How long after the server's `expires_at` the SDK ends a flow nobody answered. */
const EXPIRY_GRACE_MS = 1_000;

/**
 * The user-facing half of the SDK, as `Onegini.instance.userClient`: logins by QR code
 * (`mobileAuthWithOtp`), linking this device to a user (`enrollMobileAuthentication`), and the
 * profiles on this device.
 */
export class UserClient {
  /** @internal Made by `Onegini`; apps use `Onegini.instance.userClient`. */
  constructor(private readonly runtime: SdkRuntime) {}

  /**
   * Handles a scanned login code: redeems it at the Token Server, fires `openAuthOtp` with the
   * server's message, and waits for `acceptAuthenticationRequest` or `denyAuthenticationRequest`.
   *
   * Resolves with the transaction id (a non-empty string) only after the user accepted and the
   * Token Server confirmed. Rejects with a {@link OneginiError} otherwise: denied (9006), expired
   * (10100), already handled (9029), not a login code of ours (10018, before any network call), no
   * user on this device (9021), network failure (9000/9001), another flow running (8056), and the
   * other codes of docs/sdk.md.
   *
   * @param data the QR text as scanned: the app URL with the code in its fragment, the compact
   *   digits, or Onegini's base64 OTP.
   */
  async mobileAuthWithOtp(data: string): Promise<string> {
    if (typeof data !== 'string') throw new TypeError('data must be the scanned text (a string).');
    const application = this.requireStarted();
    if (this.runtime.flow !== undefined) {
      return this.fail(
        application,
        oneginiError(
          'MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS',
          'Another login request is being handled; finish it first.',
        ),
      );
    }
    if (this.runtime.enrolling) {
      return this.fail(
        application,
        oneginiError('ACTION_ALREADY_IN_PROGRESS', 'A phone is being linked; wait for it.'),
      );
    }
    const flow = new OtpFlow(() => {
      // Free the slot first, so that an app may start the next login from closeAuthOtp.
      if (this.runtime.flow === flow) this.runtime.flow = undefined;
      this.runtime.closeAuthOtp(application.listener);
    });
    this.runtime.flow = flow;
    try {
      const payload = decodeLoginCode(data);
      const profile = await this.currentProfile(application);
      if (profile === undefined) {
        throw oneginiError(
          'MOBILE_AUTHENTICATION_NOT_ENROLLED',
          'No user is linked on this device.',
        );
      }
      const signer = { privateKey: profile.privateKey, deviceId: profile.deviceId };
      const redeemed = await application.client.redeem(signer, payload.transactionId, payload.otp);
      if (redeemed.transaction_id !== payload.transactionId) {
        throw oneginiError('GENERAL_ERROR', 'The Token Server answered for another request.');
      }
      const request = toRequest(redeemed, toPublicProfile(profile));
      const deadline = application.clock.toLocal(request.expiresAt.getTime()) + EXPIRY_GRACE_MS;
      const waiting = { request, shown: redeemed, signer, passkey: profile.passkey };
      flow.wait(waiting, deadline, () => {
        flow.finish({
          error: oneginiError(
            'MOBILE_AUTHENTICATION_REQUEST_EXPIRED',
            'The login request expired before it was answered.',
          ),
        });
      });
      this.runtime.openAuthOtp(application.listener, request);
      // The flow may have ended inside openAuthOtp (an app that answers at once).
      return await flow.outcome;
    } catch (error) {
      const failure = asOneginiError(error);
      flow.finish({ error: failure });
      return this.fail(application, failure);
    } finally {
      if (this.runtime.flow === flow) this.runtime.flow = undefined;
    }
  }

  /**
   * What a website's "Link your phone" code would link this device to, for the app to ask "Link
   * this phone to {account} at {site}?" before it links: the account, the site, and the browser,
   * network and place of the linking page. Links nothing and changes nothing on the server.
   *
   * The call is signed by a new device key, which `enrollMobileAuthentication` of the same code
   * then links: the server sees the same key ask and link. (Only the last code previewed keeps
   * its key, in memory; the key is not extractable.) Rejects as enrolling does: 10018 for a
   * code that is not an enrollment code (before any network call), 9016 for a used code, 10100
   * when expired, 10013 for an unknown one.
   */
  async previewEnrollment(qrText: string): Promise<OneginiEnrollmentPreview> {
    checkQrText(qrText);
    const application = this.requireStarted();
    try {
      const payload = decodeEnrollmentCode(qrText);
      // The same code previewed again (the app's screen was rebuilt) keeps its key.
      const keys = this.takePreviewedKeys(payload) ?? (await generateDeviceKey());
      const preview = await application.client.previewEnrollment(
        payload.enrollmentId,
        { secret: payload.secret, public_key: await exportPublicJwk(keys.publicKey) },
        keys.privateKey,
      );
      this.runtime.previewedLink = {
        enrollmentId: payload.enrollmentId,
        secret: payload.secret,
        keys,
      };
      return toEnrollmentPreview(preview);
    } catch (error) {
      return this.fail(application, asOneginiError(error));
    }
  }

  /**
   * Links this device to the user of a website's "Link your phone" code: registers a new
   * non-extractable device key with the Token Server (the one that signed the preview of this
   * code, if the app previewed it), and stores the profile. The first profile becomes the
   * authenticated one. Then, where the device has a platform authenticator, it makes the passkey
   * that verifies the user on Accept (the system asks the user) and registers it: `passkeySetup`
   * says whether that worked, and why not; the link stands either way.
   *
   * Resolves with the profile and its `compareCode`: the phone shows it, the linking page shows
   * the same, and the user confirms there. Until the website confirmed, the phone's logins are
   * refused with 10102; if the user says the codes differ, the website revokes the link (9002).
   * Rejects with 10018 for a code that is not an enrollment code (before any network call), 9016
   * for a used code, 10100 when expired, 10013 for an unknown one, 9007 while another enrollment
   * or a login runs.
   */
  async enrollMobileAuthentication(qrText: string): Promise<OneginiEnrolledUserProfile> {
    checkQrText(qrText);
    const application = this.requireStarted();
    if (this.runtime.busy) {
      return this.fail(
        application,
        oneginiError('ACTION_ALREADY_IN_PROGRESS', 'Another action of the SDK is still running.'),
      );
    }
    this.runtime.enrolling = true;
    try {
      const payload = decodeEnrollmentCode(qrText);
      const keys = this.takePreviewedKeys(payload) ?? (await generateDeviceKey());
      const enrolled = await application.client.enroll(
        payload.enrollmentId,
        {
          secret: payload.secret,
          public_key: await exportPublicJwk(keys.publicKey),
          device_name: application.config.deviceName ?? defaultDeviceName(),
        },
        keys.privateKey,
      );
      const stored: StoredProfile = {
        profileId: newNonce(),
        userId: enrolled.user_id,
        // A name that could read as something else is not shown; the user id is, instead.
        ...(isDisplayName(enrolled.display_name) ? { displayName: enrolled.display_name } : {}),
        deviceId: enrolled.device_id,
        tokenServerUrl: application.config.tokenServerUrl,
        siteName: enrolled.site,
        enrolledAt: Date.now(),
        privateKey: keys.privateKey,
      };
      const storage = application.config.storage;
      await storage.saveProfile(stored);
      if ((await this.currentProfile(application))?.profileId === stored.profileId) {
        await storage.setAuthenticatedProfileId(stored.profileId);
      }
      const passkeySetup = await setUpPasskey(application, stored);
      const linked = (await this.storedProfile(application, stored.profileId)) ?? stored;
      return { ...toPublicProfile(linked), compareCode: enrolled.compare_code, passkeySetup };
    } catch (error) {
      return this.fail(application, asOneginiError(error));
    } finally {
      this.runtime.enrolling = false;
    }
  }

  /**
   * Makes the passkey that verifies the user on Accept for a profile that has none (its making
   * was cancelled or failed when the phone linked): the system asks the user, and the Token
   * Server registers it, in place of any it had. (The Token Server's options name the passkey it
   * knows, so an authenticator that still holds it makes no second one: `failed`.) Resolves with
   * what came of it, as `passkeySetup` at linking; rejects only with 9021 for an unknown profile
   * and 9007 while a login or enrollment runs.
   */
  async registerPasskey(profileId: string): Promise<PasskeySetup> {
    if (typeof profileId !== 'string') throw new TypeError('profileId must be a string.');
    const application = this.requireStarted();
    this.refuseWhileBusy();
    const profile = await this.storedProfile(application, profileId);
    if (profile === undefined) {
      throw oneginiError('MOBILE_AUTHENTICATION_NOT_ENROLLED', 'No such profile on this device.');
    }
    this.runtime.enrolling = true;
    try {
      return await setUpPasskey(application, profile);
    } finally {
      this.runtime.enrolling = false;
    }
  }

  /** Every profile on this device for the configured Token Server, oldest first. */
  async getUserProfiles(): Promise<OneginiUserProfile[]> {
    const application = this.requireStarted();
    return (await this.profilesOf(application)).map(toPublicProfile);
  }

  /** The profile that answers logins: the one chosen, else the oldest; undefined when none. */
  async getAuthenticatedUserProfile(): Promise<OneginiUserProfile | undefined> {
    const profile = await this.currentProfile(this.requireStarted());
    return profile === undefined ? undefined : toPublicProfile(profile);
  }

  /** Chooses the profile that answers logins. Rejects with 9021 for an id not on this device. */
  async setAuthenticatedUserProfile(profileId: string): Promise<void> {
    if (typeof profileId !== 'string') throw new TypeError('profileId must be a string.');
    const application = this.requireStarted();
    const profiles = await this.profilesOf(application);
    if (!profiles.some((profile) => profile.profileId === profileId)) {
      throw oneginiError('MOBILE_AUTHENTICATION_NOT_ENROLLED', 'No such profile on this device.');
    }
    await application.config.storage.setAuthenticatedProfileId(profileId);
  }

  /**
   * Forgets a profile and its device key on this device. The mobile API has no call to revoke a
   * device, so the Token Server keeps it until the website revokes it; without the key, it can
   * never be used again. Rejects with 9021 for an unknown id, 9007 while a login or enrollment runs.
   */
  async deregisterUser(profileId: string): Promise<void> {
    if (typeof profileId !== 'string') throw new TypeError('profileId must be a string.');
    const application = this.requireStarted();
    this.refuseWhileBusy();
    const storage = application.config.storage;
    const profiles = await this.profilesOf(application);
    if (!profiles.some((profile) => profile.profileId === profileId)) {
      throw oneginiError('MOBILE_AUTHENTICATION_NOT_ENROLLED', 'No such profile on this device.');
    }
    await storage.deleteProfile(profileId);
    if ((await storage.getAuthenticatedProfileId()) === profileId) {
      const next = profiles.find((profile) => profile.profileId !== profileId);
      await storage.setAuthenticatedProfileId(next?.profileId);
    }
  }

  /** The key of the last preview, if it was of this very code; used once. */
  private takePreviewedKeys(payload: EnrollmentPayload): CryptoKeyPair | undefined {
    const previewed = this.runtime.previewedLink;
    this.runtime.previewedLink = undefined;
    const same =
      previewed?.enrollmentId === payload.enrollmentId && previewed.secret === payload.secret;
    return same ? previewed.keys : undefined;
  }

  /** Throws 9007 while a login or an enrollment runs: one action of the SDK at a time. */
  private refuseWhileBusy(): void {
    if (this.runtime.busy) {
      throw oneginiError(
        'ACTION_ALREADY_IN_PROGRESS',
        'Another action of the SDK is still running.',
      );
    }
  }

  private requireStarted(): StartedApplication {
    return this.runtime.requireStarted();
  }

  private async profilesOf(application: StartedApplication): Promise<StoredProfile[]> {
    const profiles = await application.config.storage.listProfiles();
    return profiles.filter(
      (profile) => profile.tokenServerUrl === application.config.tokenServerUrl,
    );
  }

  private async storedProfile(
    application: StartedApplication,
    profileId: string,
  ): Promise<StoredProfile | undefined> {
    const profiles = await this.profilesOf(application);
    return profiles.find((profile) => profile.profileId === profileId);
  }

  private async currentProfile(
    application: StartedApplication,
  ): Promise<StoredProfile | undefined> {
    const profiles = await this.profilesOf(application);
    const chosen = await application.config.storage.getAuthenticatedProfileId();
    return profiles.find((profile) => profile.profileId === chosen) ?? profiles[0];
  }

  private fail(application: StartedApplication, error: OneginiError): never {
    this.runtime.eventError(application.listener, error);
    throw error;
  }
}

function checkQrText(qrText: unknown): asserts qrText is string {
  if (typeof qrText !== 'string') {
    throw new TypeError('qrText must be the scanned text (a string).');
  }
}

function decodeLoginCode(data: string): AuthenticationPayload {
  let payload: AuthenticationPayload;
  try {
    payload = decodeAuthenticationPayload(data);
  } catch (cause) {
    throw notHandleable(cause);
  }
  // Onegini's form allows any id of unreserved characters; `.` and `..` would be resolved as dot
  // segments of the URL and send the call to another path.
  if (payload.transactionId === '.' || payload.transactionId === '..') {
    throw oneginiError('NOT_HANDLEABLE', 'The code holds an invalid transaction id.');
  }
  return payload;
}

function decodeEnrollmentCode(text: string): EnrollmentPayload {
  try {
    return decodeEnrollmentPayload(text);
  } catch (cause) {
    throw notHandleable(cause);
  }
}

function notHandleable(cause: unknown): OneginiError {
  const detail = cause instanceof QrPayloadError ? cause.message : 'The code cannot be read.';
  return oneginiError('NOT_HANDLEABLE', detail, { cause });
}

/** Any failure as a OneginiError: the SDK's own pass through, anything else is 10000. */
function asOneginiError(error: unknown): OneginiError {
  if (error instanceof OneginiError) return error;
  return oneginiError('GENERAL_ERROR', 'Something unexpected went wrong.', { cause: error });
}
