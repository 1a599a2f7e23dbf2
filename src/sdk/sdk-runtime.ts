import { MobileApiClient } from './mobile-api-client.js';
import type { ResolvedConfig } from './resolved-config.js';
import { oneginiError, type OneginiError } from './onegini-error.js';
import type { BuildContext, OneginiEventListener } from './onegini-event-listener.js';
import type { OtpAuthenticationRequest } from './otp-authentication-request.js';
import type { OtpFlow } from './otp-flow.js';
import { ServerClock } from './server-clock.js';

/** What `startApplication` set up. */
export interface StartedApplication {
  readonly listener: OneginiEventListener;
  readonly config: ResolvedConfig;
  readonly client: MobileApiClient;
  readonly clock: ServerClock;
}

/**
 * A code the app previewed, and the key that signed the preview: the enrollment of that code
 * links this key, so that the key the server saw in the preview is the one it links. Only the
 * last preview is kept, in memory; the private key is not extractable.
 */
export interface PreviewedLink {
  readonly enrollmentId: string;
  readonly secret: string;
  readonly keys: CryptoKeyPair;
}

/**
 * The state one `Onegini` instance shares between its user client and the accept/deny callback.
 * Internal: not exported from the package.
 */
export class SdkRuntime {
  application: StartedApplication | undefined;
  context: BuildContext = undefined;
  /** The login flow in progress, if any; there is at most one. */
  flow: OtpFlow | undefined;
  /** Whether an enrollment is running; there is at most one. */
  enrolling = false;
  /** The key the last preview was signed with, for the enrollment of the same code. */
  previewedLink: PreviewedLink | undefined;

  start(listener: OneginiEventListener, config: ResolvedConfig): void {
    const clock = new ServerClock();
    this.application = { listener, config, clock, client: new MobileApiClient(config, clock) };
  }

  /** The application, or a 10001 error when `startApplication` has not run. */
  requireStarted(): StartedApplication {
    if (this.application === undefined) {
      throw oneginiError(
        'CONFIGURATION_ERROR',
        'Call Onegini.instance.startApplication(listener, config) first.',
      );
    }
    return this.application;
  }

  /** Whether a flow or an enrollment is running. */
  get busy(): boolean {
    return this.flow !== undefined || this.enrolling;
  }

  openAuthOtp(listener: OneginiEventListener, request: OtpAuthenticationRequest): void {
    callListener(() => {
      listener.openAuthOtp(this.context, request.message, request);
    });
  }

  showPresenceCode(
    listener: OneginiEventListener,
    presenceCode: string,
    request: OtpAuthenticationRequest,
  ): void {
    callListener(() => {
      listener.showPresenceCode(this.context, presenceCode, request);
    });
  }

  closeAuthOtp(listener: OneginiEventListener): void {
    callListener(() => {
      listener.closeAuthOtp(this.context);
    });
  }

  eventError(listener: OneginiEventListener | undefined, error: OneginiError): void {
    if (listener === undefined) return;
    callListener(() => {
      listener.eventError(this.context, error);
    });
  }
}

/**
 * Runs an app's listener method. A listener that throws is the app's bug: it is reported like an
 * uncaught error, and the SDK's flow goes on (its events still fire once, its promise still settles).
 */
function callListener(call: () => void): void {
  try {
    call();
  } catch (error) {
    setTimeout(() => {
      throw error;
    }, 0);
  }
}

const runtimes = new WeakMap<object, SdkRuntime>();

/** Ties a runtime to its `Onegini` instance. */
export function registerRuntime(owner: object, runtime: SdkRuntime): void {
  runtimes.set(owner, runtime);
}

/** The runtime of an `Onegini` instance. */
export function runtimeOf(owner: object): SdkRuntime {
  const runtime = runtimes.get(owner);
  if (runtime === undefined) throw new TypeError('Not an Onegini instance.');
  return runtime;
}
