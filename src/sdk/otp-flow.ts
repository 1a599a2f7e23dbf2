import type { MobileRedeemResponse } from '../protocol/index.js';
import type { CallSigner } from './mobile-api-client.js';
import type { OneginiError } from './onegini-error.js';
import type { OtpAuthenticationRequest } from './otp-authentication-request.js';

/** Where a login flow is: fetching the request, waiting for the user, sending the answer, over. */
export type OtpFlowState = 'redeeming' | 'waiting' | 'answering' | 'done';

/**
 * One run of `mobileAuthWithOtp`, from the scanned code to the outcome. It ends exactly once
 * (`finish`), which is what makes `closeAuthOtp` fire exactly once per `openAuthOtp`.
 */
export class OtpFlow {
  state: OtpFlowState = 'redeeming';
  request: OtpAuthenticationRequest | undefined;
  /**
   * The redeem answer as received and checked: what the screen shows. The answer signs its
   * digest (`shownDigest`), so that the Token Server records what the user approved.
   */
  shown: MobileRedeemResponse | undefined;
  signer: CallSigner | undefined;
  /** Settles with the transaction id (accepted and confirmed) or the error that ended the flow. */
  readonly outcome: Promise<string>;
  private resolveOutcome!: (transactionId: string) => void;
  private rejectOutcome!: (error: OneginiError) => void;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onEnd: (flow: OtpFlow) => void) {
    this.outcome = new Promise<string>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    // The caller of mobileAuthWithOtp handles the rejection; this only keeps it from being
    // reported as unhandled while the flow is still running.
    this.outcome.catch(() => undefined);
  }

  /** The request is on screen: wait for the answer, at most until `localDeadline` (ms). */
  wait(
    request: OtpAuthenticationRequest,
    shown: MobileRedeemResponse,
    signer: CallSigner,
    localDeadline: number,
    onExpiry: () => void,
  ): void {
    this.request = request;
    this.shown = shown;
    this.signer = signer;
    this.state = 'waiting';
    const delay = Math.min(Math.max(localDeadline - Date.now(), 0), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(onExpiry, delay);
  }

  /** The user answered; the expiry timer no longer applies (the server decides from here). */
  startAnswer(): void {
    this.state = 'answering';
    this.clearTimer();
  }

  /** Ends the flow once; later calls do nothing. Returns whether this call ended it. */
  finish(result: { transactionId: string } | { error: OneginiError }): boolean {
    if (this.state === 'done') return false;
    const wasOpen = this.request !== undefined;
    this.state = 'done';
    this.clearTimer();
    if (wasOpen) this.onEnd(this);
    if ('error' in result) this.rejectOutcome(result.error);
    else this.resolveOutcome(result.transactionId);
    return true;
  }

  private clearTimer(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }
}

// setTimeout holds a signed 32-bit delay; a longer one would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
