import type { OneginiConfig } from './onegini-config.js';
import { resolveConfig } from './resolved-config.js';
import { oneginiError } from './onegini-error.js';
import { OneginiEventListener, type BuildContext } from './onegini-event-listener.js';
import { registerRuntime, SdkRuntime } from './sdk-runtime.js';
import { UserClient } from './user-client.js';

/**
 * The SDK's entry point, as in Onegini's Flutter plugin: `Onegini.instance`. Call
 * `startApplication(listener, config)` once before anything else.
 */
export class Onegini {
  /** The instance apps use. (Tests may make their own with `new Onegini()`.) */
  static readonly instance: Onegini = new Onegini();

  /** Logins, enrollment and the profiles on this device. */
  readonly userClient: UserClient;
  private readonly runtime = new SdkRuntime();

  constructor() {
    registerRuntime(this, this.runtime);
    this.userClient = new UserClient(this.runtime);
  }

  /**
   * Sets up the SDK: the listener that gets the flows' events and the Token Server to talk to.
   * May be called again to change either, except while a login or enrollment is running (9007).
   * A config whose values cannot work rejects with 10001; wrong types are a TypeError.
   */
  startApplication(listener: OneginiEventListener, config: OneginiConfig): Promise<void> {
    if (!(listener instanceof OneginiEventListener)) {
      return Promise.reject(new TypeError('listener must extend OneginiEventListener.'));
    }
    if (this.runtime.busy) {
      return Promise.reject(
        oneginiError('ACTION_ALREADY_IN_PROGRESS', 'A login or enrollment is still running.'),
      );
    }
    try {
      this.runtime.start(listener, resolveConfig(config));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve();
  }

  /** What the listener's methods get as `context` from now on (Flutter's `BuildContext`). */
  setEventContext(context: BuildContext): void {
    this.runtime.context = context;
  }
}
