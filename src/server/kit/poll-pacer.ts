/** A browser may send its next poll this early (timer rounding) without a slow_down. */
const INTERVAL_TOLERANCE_MS = 200;
/** A pace idle this long belongs to a login that is over; it may be swept. */
const IDLE_MS = 60_000;
/** Pace is kept for this many logins before idle ones are swept. */
const SWEEP_AT = 10_000;

/**
 * Paces the polls of each login, in this process: one held at a time, and the next no sooner
 * than `interval` seconds after the start of the previous one, as `<otp-login-qr>` counts it (a
 * held poll counts toward the interval: after a long wait the next poll may follow at once).
 */
export class PollPacer {
  private readonly paces = new Map<string, { busy: boolean; nextAt: number }>();

  constructor(private readonly intervalSeconds: number) {}

  /**
   * Lets a poll of login `id` in, and returns the function that ends it; undefined (a
   * slow_down) while another poll of it is held, or before its interval has passed.
   */
  admit(id: string): (() => void) | undefined {
    const pace = this.paces.get(id) ?? { busy: false, nextAt: 0 };
    if (pace.busy || Date.now() < pace.nextAt - INTERVAL_TOLERANCE_MS) return undefined;
    pace.busy = true;
    pace.nextAt = Date.now() + this.intervalSeconds * 1000;
    this.paces.set(id, pace);
    this.sweep();
    return () => {
      pace.busy = false;
    };
  }

  /** Forgets a login that is over (taken, or not this browser's). */
  forget(id: string): void {
    this.paces.delete(id);
  }

  private sweep(): void {
    if (this.paces.size < SWEEP_AT) return;
    const now = Date.now();
    for (const [id, pace] of this.paces)
      if (!pace.busy && pace.nextAt < now - IDLE_MS) this.paces.delete(id);
  }
}
