/**
 * The Token Server's clock as seen from the phone. The server refuses a signed call whose
 * timestamp is more than its `clockSkewMs` (default 2 minutes) away from its own time, and a
 * phone's clock can be wrong by more. So the SDK learns the offset from the `Date` header of
 * every answer it can read, and signs with its own time plus that offset.
 *
 * The limit: a browser lets script read `Date` only from a same-origin Token Server (or one that
 * names it in `Access-Control-Expose-Headers`, which the reference server does not). Cross-origin,
 * the offset stays 0 and a phone clock more than `clockSkewMs` off gets 9031.
 */
export class ServerClock {
  /** Server time minus local time, in milliseconds. */
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** The best estimate of the server's time now, in milliseconds since the epoch. */
  now(): number {
    return this.localNow() + this.offsetMs;
  }

  /** The local time at which the server's clock shows `serverTime`. */
  toLocal(serverTime: number): number {
    return serverTime - this.offsetMs;
  }

  /**
   * Learns from an answer's `Date` header, sent between `sentAt` and `receivedAt` (local times).
   * Returns true when the estimate moved by more than the header's precision.
   */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): boolean {
    if (dateHeader === null) return false;
    const serverSeconds = Date.parse(dateHeader);
    if (Number.isNaN(serverSeconds)) return false;
    // `Date` has whole seconds: the true time is up to 1 s later. Take the middle of both ranges.
    const estimate = serverSeconds + 500 - (sentAt + receivedAt) / 2;
    // Within the header's precision, the clocks agree; do not chase noise.
    const next = Math.abs(estimate) <= PRECISION_MS ? 0 : Math.round(estimate);
    const moved = Math.abs(next - this.offsetMs) > PRECISION_MS;
    if (moved) this.offsetMs = next;
    return moved;
  }
}

const PRECISION_MS = 2_000;
