import type { MobileRedeemResponse } from '../protocol/index.js';
import type { StoredPasskey } from './device-storage.js';
import type { CallSigner } from './mobile-api-client.js';
import type { OneginiError } from './onegini-error.js';
import type { OtpAuthenticationRequest } from './otp-authentication-request.js';

/**
 * Where a login flow is: fetching the request, waiting for the user, verifying the user (the
 * system's fingerprint or face prompt, after Accept), sending the answer, over.
 */
export type OtpFlowState = 'redeeming' | 'waiting' | 'verifying' | 'answering' | 'done';

/** The request on screen, and what answering it takes. */
export interface WaitingRequest {
  readonly request: OtpAuthenticationRequest;
  /**
   * The redeem answer as received and checked: what the screen shows. The answer signs its
   * digest (`shownDigest`), so that the Token Server records what the user approved.
   */
  readonly shown: MobileRedeemResponse;
  readonly signer: CallSigner;
  /** The profile's passkey, which an accept asks for where the login wants the user verified. */
  readonly passkey: StoredPasskey | undefined;
}

/**
 * One run of `mobileAuthWithOtp`, from the scanned code to the outcome. It ends exactly once
 * (`finish`), which is what makes `closeAuthOtp` fire exactly once per `openAuthOtp`.
 */
export class OtpFlow {
  state: OtpFlowState = 'redeeming';
  /** Set while the request is on screen and after. */
  waiting: WaitingRequest | undefined;
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

  /** The request on screen, if it got that far. */
  get request(): OtpAuthenticationRequest | undefined {
    return this.waiting?.request;
  }

  /** The request is on screen: wait for the answer, at most until `localDeadline` (ms). */
  wait(waiting: WaitingRequest, localDeadline: number, onExpiry: () => void): void {
    this.waiting = waiting;
    this.state = 'waiting';
    const delay = Math.min(Math.max(localDeadline - Date.now(), 0), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(onExpiry, delay);
  }

  /**
   * The user accepted, and the system asks for their fingerprint or face. The request may still
   * expire meanwhile (the expiry timer runs on), and no other answer may start.
   */
  startVerifying(): void {
    this.state = 'verifying';
  }

  /** The user was not verified: the request waits for an answer again (retry or deny). */
  resumeWaiting(): void {
    if (this.state === 'verifying') this.state = 'waiting';
  }

  /** The user answered; the expiry timer no longer applies (the server decides from here). */
  startAnswer(): void {
    this.state = 'answering';
    this.clearTimer();
  }

  /** Ends the flow once; later calls do nothing. Returns whether this call ended it. */
  finish(result: { transactionId: string } | { error: OneginiError }): boolean {
    if (this.state === 'done') return false;
    const wasOpen = this.waiting !== undefined;
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
