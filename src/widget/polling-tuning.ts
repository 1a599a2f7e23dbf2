// The pace of LoginPollController: how soon it replaces a code, backs off, retries and gives up.
// Not public API: index.ts does not re-export this module and every export is @internal, so that
// custom-elements.json leaves it out too. Tests import it by its path to assert the schedule.

/**
 * Seconds before a QR's end at which the controller asks for the next one.
 * @internal
 */
export function rotationLead(expiresIn: number): number {
  return Math.min(3, expiresIn / 4);
}

/**
 * Network errors while polling: wait 1 s, 2 s, 4 s … up to 30 s, each time a random 50–100 %.
 * @internal
 */
export const BACKOFF = { baseSeconds: 1, maxSeconds: 30 } as const;

/**
 * Attempts at starting a login before the element gives up with `network`.
 * @internal
 */
export const START_ATTEMPTS = 4;

/**
 * RFC 8628: a `slow_down` without a new interval adds 5 seconds.
 * @internal
 */
export const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * The least time between two polls that the server answered at once, whatever `interval` says:
 * a server that neither holds polls nor asks for a pace still gets at most one a second.
 * @internal
 */
export const MIN_POLL_GAP_SECONDS = 1;

/**
 * The longest `Retry-After` the element waits; a longer one is treated as this.
 * @internal
 */
export const MAX_RETRY_AFTER_SECONDS = 600;
