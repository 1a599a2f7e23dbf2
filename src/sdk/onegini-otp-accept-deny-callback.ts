import { SDK_ERRORS, shownDigest, type PasskeyAssertion } from '../protocol/index.js';
import { acceptVerification } from './accept-verification.js';
import { OneginiError, oneginiError } from './onegini-error.js';
import type { BuildContext } from './onegini-event-listener.js';
import { Onegini } from './onegini.js';
import { runtimeOf, type SdkRuntime } from './sdk-runtime.js';
import type { OtpFlow } from './otp-flow.js';

/** Options of {@link OneginiOtpAcceptDenyCallback.acceptAuthenticationRequest}. */
export interface AcceptOptions {
  /** Number matching: the number the user picked from `request.numberMatchChoices`. */
  readonly number?: string;
}

/**
 * The user's answer to the request that `openAuthOtp` showed, as in Onegini's Flutter plugin:
 * `new OneginiOtpAcceptDenyCallback().acceptAuthenticationRequest(context)`.
 *
 * Both methods resolve once the flow has ended (after `closeAuthOtp`); the outcome itself is what
 * `mobileAuthWithOtp` resolves or rejects with. They reject only when no request is waiting for an
 * answer (8053: no flow, the request is still loading, or an answer is already on its way), for
 * number matching with a TypeError when `number` is not one of the choices, and, for an accept
 * that must verify the user first, when that did not happen (below): then nothing was sent and
 * the request waits on, for another try or a deny.
 */
export class OneginiOtpAcceptDenyCallback {
  constructor(private readonly onegini: Onegini = Onegini.instance) {}

  /**
   * Accepts the request. `context` becomes the event context (so `closeAuthOtp` gets it).
   * Number matching needs `{ number }`, one of `request.numberMatchChoices`.
   *
   * Where the login asks for user verification (`request.userVerification` `required`, or
   * `preferred` on a phone with a passkey), the system first asks for the user's fingerprint or
   * face, and the answer carries the passkey's assertion. Rejects, with nothing sent and the
   * request still waiting, with 9030 (`USER_NOT_VERIFIED`: cancelled, not recognised, no passkey
   * found) or 10007 (`AUTHENTICATOR_NOT_REGISTERED`: the login requires it and this phone has no
   * passkey; only a deny can answer it).
   */
  async acceptAuthenticationRequest(
    context?: BuildContext,
    options: AcceptOptions = {},
  ): Promise<void> {
    const runtime = runtimeOf(this.onegini);
    const flow = waitingFlow(runtime);
    const choices = flow.request?.numberMatchChoices;
    const number = options.number;
    if (choices !== undefined && (typeof number !== 'string' || !choices.includes(number))) {
      throw new TypeError('Pass the number the user picked, one of request.numberMatchChoices.');
    }
    if (context !== undefined) runtime.context = context;
    const waiting = flow.waiting;
    if (waiting === undefined) throw oneginiError('OTP_AUTHENTICATION_NOT_IN_PROGRESS');
    const { config } = runtime.requireStarted();
    flow.startVerifying();
    let verification: PasskeyAssertion | undefined;
    try {
      verification = await acceptVerification(waiting, config.passkeyAuthenticator);
    } catch (error) {
      // Expired while the system's prompt was up: mobileAuthWithOtp reports that.
      if (flow.state !== 'verifying') return;
      flow.resumeWaiting();
      throw error;
    }
    if (flow.state !== 'verifying') return;
    await answer(runtime, flow, 'accept', choices === undefined ? undefined : number, verification);
  }

  /** Denies the request; `mobileAuthWithOtp` then rejects with 9006. */
  async denyAuthenticationRequest(): Promise<void> {
    const runtime = runtimeOf(this.onegini);
    await answer(runtime, waitingFlow(runtime), 'deny');
  }
}

function waitingFlow(runtime: SdkRuntime): OtpFlow {
  const flow = runtime.flow;
  if (flow?.state !== 'waiting') {
    throw oneginiError(
      'OTP_AUTHENTICATION_NOT_IN_PROGRESS',
      'No login request is waiting for an answer.',
    );
  }
  return flow;
}

async function answer(
  runtime: SdkRuntime,
  flow: OtpFlow,
  choice: 'accept' | 'deny',
  number?: string,
  verification?: PasskeyAssertion,
): Promise<void> {
  const { client, listener } = runtime.requireStarted();
  const waiting = flow.waiting;
  if (waiting === undefined) throw oneginiError('OTP_AUTHENTICATION_NOT_IN_PROGRESS');
  const { request, shown, signer } = waiting;
  flow.startAnswer();
  try {
    const recorded = await client.answer(signer, request.transactionId, {
      answer: choice,
      number,
      shown: await shownDigest(shown),
      user_verification: verification,
    });
    const status = recorded.status;
    if (status === 'accepted' && choice === 'accept') {
      // Proof of presence: the browser needs this code before the website logs it in. The
      // screen that shows it comes before closeAuthOtp, so that the app can show it in place.
      if (recorded.presence_code !== undefined) {
        runtime.showPresenceCode(listener, recorded.presence_code, request);
      }
      flow.finish({ transactionId: request.transactionId });
    } else if (status === 'denied') {
      flow.finish({
        error: new OneginiError(
          SDK_ERRORS.ACTION_CANCELED.code,
          choice === 'deny'
            ? 'The user denied the request.'
            : 'The Token Server refused the answer (for number matching: the wrong number).',
        ),
      });
    } else {
      flow.finish({
        error: oneginiError('GENERAL_ERROR', 'The Token Server recorded another answer.'),
      });
    }
  } catch (error) {
    flow.finish({
      error:
        error instanceof OneginiError
          ? error
          : oneginiError('GENERAL_ERROR', 'Sending the answer failed.', { cause: error }),
    });
  }
}
