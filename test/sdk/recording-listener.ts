/*
 * A listener for tests: records every event in order, and can answer from openAuthOtp the way a
 * confirmation screen would (on the next tick, through OneginiOtpAcceptDenyCallback).
 */
import {
  OneginiEventListener,
  OneginiOtpAcceptDenyCallback,
  type BuildContext,
  type Onegini,
  type OneginiError,
  type OtpAuthenticationRequest,
} from '../../src/sdk/index.js';

export type RecordedEvent =
  | {
      name: 'openAuthOtp';
      context: BuildContext;
      message: string;
      request: OtpAuthenticationRequest;
    }
  | {
      name: 'showPresenceCode';
      context: BuildContext;
      presenceCode: string;
      request: OtpAuthenticationRequest;
    }
  | { name: 'closeAuthOtp'; context: BuildContext }
  | { name: 'eventError'; context: BuildContext; error: OneginiError };

/** What the screen does when a request opens. */
export type ScreenAction =
  | { answer: 'none' }
  | { answer: 'accept'; number?: (request: OtpAuthenticationRequest) => string }
  | { answer: 'deny' };

export class RecordingListener extends OneginiEventListener {
  readonly events: RecordedEvent[] = [];
  action: ScreenAction = { answer: 'none' };
  /** The promise of the last accept/deny the screen made. */
  answered: Promise<void> | undefined;
  private opened: ((request: OtpAuthenticationRequest) => void)[] = [];

  constructor(private readonly onegini: Onegini) {
    super();
  }

  override openAuthOtp(
    context: BuildContext,
    message: string,
    request: OtpAuthenticationRequest,
  ): void {
    this.events.push({ name: 'openAuthOtp', context, message, request });
    for (const resolve of this.opened.splice(0)) resolve(request);
    const action = this.action;
    if (action.answer === 'none') return;
    const callback = new OneginiOtpAcceptDenyCallback(this.onegini);
    this.answered = Promise.resolve().then(() =>
      action.answer === 'accept'
        ? callback.acceptAuthenticationRequest(
            context,
            action.number === undefined ? {} : { number: action.number(request) },
          )
        : callback.denyAuthenticationRequest(),
    );
  }

  override showPresenceCode(
    context: BuildContext,
    presenceCode: string,
    request: OtpAuthenticationRequest,
  ): void {
    this.events.push({ name: 'showPresenceCode', context, presenceCode, request });
  }

  override closeAuthOtp(context: BuildContext): void {
    this.events.push({ name: 'closeAuthOtp', context });
  }

  override eventError(context: BuildContext, error: OneginiError): void {
    this.events.push({ name: 'eventError', context, error });
  }

  /** The names of the events so far, in order. */
  get names(): string[] {
    return this.events.map((event) => event.name);
  }

  /** Resolves with the request at the next openAuthOtp. */
  nextOpen(): Promise<OtpAuthenticationRequest> {
    return new Promise((resolve) => this.opened.push(resolve));
  }
}
