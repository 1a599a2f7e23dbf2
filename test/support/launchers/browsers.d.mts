/** Types of test/support/launchers/browsers.mjs, for TypeScript callers (Playwright scripts). */

/** Flags that keep Chromium off the network that this machine does not have. */
export declare const QUIET_CHROMIUM_FLAGS: readonly string[];

/** Debian's Chromium, or CHROMIUM_PATH. */
export declare const CHROMIUM_PATH: string;
