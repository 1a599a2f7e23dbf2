import { SDK_ERRORS } from '../protocol/index.js';
import {
  Onegini,
  OneginiError,
  OneginiEventListener,
  OneginiOtpAcceptDenyCallback,
  type BuildContext,
  type DeviceStorage,
  type OneginiEnrollmentPreview,
  type OneginiUserProfile,
  type OtpAuthenticationRequest,
  type PasskeyAuthenticator,
  type PasskeySetup,
  type SoftwareName,
} from '../sdk/index.js';
import type { AppConfig } from './app-config.js';
import type {
  AcceptBy,
  AccountView,
  AnswerDetail,
  AnswerResult,
  LinkPreviewView,
  LoginRequestView,
  OutcomeKind,
  OutcomeView,
  PasskeyView,
  PendingLinkView,
  PlaceView,
  PresenceCodeView,
} from './view-models.js';

/** What the session tells the screens while a login runs. */
export interface SessionEvents {
  /** The SDK's openAuthOtp: show the confirmation screen. */
  onRequest(request: LoginRequestView): void;
  /** The SDK's closeAuthOtp: the confirmation screen is over. */
  onClose(): void;
  /** The SDK's showPresenceCode: the accept needs the browser to type this code. */
  onPresenceCode?(presenceCode: string): void;
}

/** The SDK's listener: hands openAuthOtp and closeAuthOtp to the app's screens. */
class AppListener extends OneginiEventListener {
  constructor(private readonly events: SessionEvents) {
    super();
  }

  override openAuthOtp(
    _context: BuildContext,
    message: string,
    request: OtpAuthenticationRequest,
  ): void {
    this.events.onRequest(toRequestView(message, request));
  }

  override showPresenceCode(_context: BuildContext, presenceCode: string): void {
    this.events.onPresenceCode?.(presenceCode);
  }

  override closeAuthOtp(): void {
    this.events.onClose();
  }
}

/**
 * The app's use of the SDK: linking, logging in, answering and the accounts, with every SDK error
 * turned into an outcome the result screen can explain.
 */
export class AppSession {
  /** The site of the login on screen, for the result screen. */
  private siteName: string | undefined;
  /** Whether the login on screen is a second factor (its denial's advice differs). */
  private secondFactor: boolean | undefined;
  /** The code of proof of presence the SDK handed over for the login on screen. */
  private presenceCode: string | undefined;

  private constructor(private readonly onegini: Onegini) {}

  /** Starts the SDK against the configured Token Server. */
  static async start(
    config: AppConfig,
    events: SessionEvents,
    options: {
      storage?: DeviceStorage;
      onegini?: Onegini;
      passkeyAuthenticator?: PasskeyAuthenticator;
    } = {},
  ): Promise<AppSession> {
    const onegini = options.onegini ?? Onegini.instance;
    const session = new AppSession(onegini);
    const listener = new AppListener({
      onRequest(request) {
        session.siteName = request.siteName;
        session.secondFactor = request.secondFactor;
        events.onRequest(request);
      },
      onPresenceCode(presenceCode) {
        session.presenceCode = presenceCode;
      },
      onClose() {
        events.onClose();
      },
    });
    await onegini.startApplication(listener, {
      tokenServerUrl: config.tokenServerUrl,
      ...(options.storage === undefined ? {} : { storage: options.storage }),
      ...(options.passkeyAuthenticator === undefined
        ? {}
        : { passkeyAuthenticator: options.passkeyAuthenticator }),
    });
    onegini.setEventContext(session);
    return session;
  }

  /** The linked accounts, the one answering logins marked. */
  async accounts(): Promise<AccountView[]> {
    const client = this.onegini.userClient;
    const [profiles, current] = await Promise.all([
      client.getUserProfiles(),
      client.getAuthenticatedUserProfile(),
    ]);
    return profiles.map((profile) =>
      toAccountView(profile, profile.profileId === current?.profileId),
    );
  }

  /**
   * What a "Link your phone" code would link, from the Token Server, before anything is linked:
   * the question the app asks first. A code that another phone used, or that expired, ends here.
   */
  async previewLink(text: string): Promise<LinkPreviewView | OutcomeView> {
    try {
      return toLinkPreviewView(await this.onegini.userClient.previewEnrollment(text));
    } catch (error) {
      return outcomeOfError(error, 'link');
    }
  }

  /**
   * Links this phone with a "Link your phone" code, pending the website's confirmation: resolves
   * with the code to compare with the linking page, and whether the phone now checks its user's
   * fingerprint or face (the SDK made the passkey right after linking, where it could).
   */
  async link(text: string): Promise<PendingLinkView | OutcomeView> {
    try {
      const profile = await this.onegini.userClient.enrollMobileAuthentication(text);
      return {
        siteName: profile.siteName ?? new URL(profile.tokenServerUrl).host,
        compareCode: profile.compareCode,
        profileId: profile.profileId,
        passkey: passkeyViewOf(profile.passkeySetup),
      };
    } catch (error) {
      return outcomeOfError(error, 'link');
    }
  }

  /** Makes the passkey of an account again, after it was cancelled or failed at linking. */
  async retryPasskey(profileId: string): Promise<PasskeyView> {
    try {
      return passkeyViewOf(await this.onegini.userClient.registerPasskey(profileId));
    } catch (error) {
      console.error(error);
      return 'failed';
    }
  }

  /**
   * Runs a login from a scanned code to its end; the confirmation screen opens on the way. An
   * accept that needs proof of presence ends with the code the browser must type.
   */
  async login(text: string): Promise<OutcomeView | PresenceCodeView> {
    this.siteName = undefined;
    this.secondFactor = undefined;
    this.presenceCode = undefined;
    try {
      await this.onegini.userClient.mobileAuthWithOtp(text);
      // Set by the listener while the flow ran (showPresenceCode comes before the flow resolves).
      const { siteName, presenceCode } = this.flowNews();
      if (presenceCode !== undefined && siteName !== undefined) {
        return { siteName, presenceCode };
      }
      return { kind: 'accepted', siteName };
    } catch (error) {
      return {
        ...outcomeOfError(error, 'login'),
        siteName: this.siteName,
        secondFactor: this.secondFactor,
      };
    } finally {
      this.presenceCode = undefined;
    }
  }

  /**
   * Sends the user's answer. Its outcome arrives through {@link login}; an answer that cannot be
   * sent any more (the request expired meanwhile) ends the flow there too. An accept that needs
   * the user's fingerprint or face first, and did not get it, sends nothing: the request waits,
   * and the result says why.
   */
  async answer(detail: AnswerDetail): Promise<AnswerResult> {
    const callback = new OneginiOtpAcceptDenyCallback(this.onegini);
    try {
      if (detail.accept) {
        await callback.acceptAuthenticationRequest(
          this,
          detail.number === undefined ? {} : { number: detail.number },
        );
      } else {
        await callback.denyAuthenticationRequest();
      }
    } catch (error) {
      if (error instanceof OneginiError) {
        if (error.code === SDK_ERRORS.USER_NOT_VERIFIED.code) return 'not-verified';
        if (error.code === SDK_ERRORS.AUTHENTICATOR_NOT_REGISTERED.code) return 'cannot-verify';
      }
      // The flow has ended already (expired, or the network failed): login() reports how.
    }
    return 'sent';
  }

  /** What the listener heard during the login that just ended. */
  private flowNews(): { siteName: string | undefined; presenceCode: string | undefined } {
    return { siteName: this.siteName, presenceCode: this.presenceCode };
  }

  async unlink(profileId: string): Promise<void> {
    await this.onegini.userClient.deregisterUser(profileId);
  }

  async select(profileId: string): Promise<void> {
    await this.onegini.userClient.setAuthenticatedUserProfile(profileId);
  }
}

/** What came of the passkey, in the screens' terms. */
function passkeyViewOf(setup: PasskeySetup): PasskeyView {
  // A cancel is the user's choice; a failure is worth a look in the console.
  if (setup.status === 'failed') console.error(setup.error);
  return setup.status;
}

/** What Accept takes on this phone for `request`. */
function acceptByOf(request: OtpAuthenticationRequest): AcceptBy {
  if (request.userVerification === 'none') return 'tap';
  if (request.profile.userVerifying) return 'fingerprint';
  return request.userVerification === 'required' ? 'impossible' : 'tap';
}

/** What an SDK error means for the user. */
export function outcomeOfError(error: unknown, during: 'login' | 'link'): OutcomeView {
  if (!(error instanceof OneginiError)) {
    return { kind: during === 'link' ? 'link-failed' : 'error', detail: describe(error) };
  }
  const kind = kindOfCode(error.code, during);
  return { kind, detail: kind === 'error' || kind === 'link-failed' ? describe(error) : undefined };
}

function kindOfCode(code: number, during: 'login' | 'link'): OutcomeKind {
  switch (code) {
    case SDK_ERRORS.ACTION_CANCELED.code:
      return 'denied';
    case SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code:
      return 'expired';
    case SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code:
      return 'handled';
    case SDK_ERRORS.DEVICE_ALREADY_ENROLLED.code:
      // A "Link your phone" code is used once: if not by this phone, then by another one, which
      // the linking page now offers to link. The owner must hear that, not "used already".
      return during === 'link' ? 'link-used' : 'handled';
    case SDK_ERRORS.DEVICE_LINK_NOT_CONFIRMED.code:
      return during === 'login' ? 'link-not-confirmed' : 'link-failed';
    case SDK_ERRORS.NETWORK_CONNECTIVITY_PROBLEM.code:
    case SDK_ERRORS.SERVER_NOT_REACHABLE.code:
      return 'offline';
    case SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code:
      return during === 'login' ? 'not-linked' : 'link-failed';
    case SDK_ERRORS.USER_VERIFICATION_REQUIRED.code:
    case SDK_ERRORS.USER_VERIFICATION_FAILED.code:
      return during === 'login' ? 'not-verified' : 'link-failed';
    case SDK_ERRORS.DEVICE_DEREGISTERED.code:
      return during === 'login' ? 'unlinked' : 'link-failed';
    default:
      return during === 'link' ? 'link-failed' : 'error';
  }
}

function describe(error: unknown): string {
  if (error instanceof OneginiError) return `${error.code} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** What the phone calls an account: the name the website gave it, else the user id. */
function accountNameOf(profile: OneginiUserProfile): string {
  return profile.displayName ?? profile.userId;
}

function toAccountView(profile: OneginiUserProfile, active: boolean): AccountView {
  return {
    profileId: profile.profileId,
    accountName: accountNameOf(profile),
    userId: profile.userId,
    siteName: profile.siteName ?? new URL(profile.tokenServerUrl).host,
    enrolledAt: profile.enrolledAt,
    active,
  };
}

function toRequestView(message: string, request: OtpAuthenticationRequest): LoginRequestView {
  return {
    siteName: request.siteName,
    message,
    browser: softwareText(request.browser),
    os: softwareText(request.os),
    sameNetwork: request.sameNetwork,
    place: toPlaceView(request.place),
    presenceRequired: request.presenceRequired,
    acceptBy: acceptByOf(request),
    requestedAt: request.requestedAt,
    expiresAt: request.expiresAt,
    numberMatchChoices: request.numberMatchChoices,
    accountName: accountNameOf(request.profile),
    secondFactor: request.secondFactor,
  };
}

function toLinkPreviewView(preview: OneginiEnrollmentPreview): LinkPreviewView {
  return {
    siteName: preview.siteName,
    accountName: preview.displayName ?? preview.userId,
    browser: softwareText(preview.browser),
    os: softwareText(preview.os),
    sameNetwork: preview.sameNetwork,
    place: toPlaceView(preview.place),
    expiresAt: preview.expiresAt,
  };
}

function toPlaceView(place: PlaceView | undefined): PlaceView | undefined {
  if (place === undefined) return undefined;
  return {
    city: place.city,
    country: place.country,
    operator: place.operator,
    distanceKm: place.distanceKm,
    credit: place.credit,
  };
}

function softwareText(software: SoftwareName | undefined): string | undefined {
  if (software === undefined) return undefined;
  return software.version === undefined ? software.name : `${software.name} ${software.version}`;
}
