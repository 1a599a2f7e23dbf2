/** Types of scripts/build-widget.mjs, for TypeScript callers (bench, end-to-end tests). */

/** Absolute path of the built element: dist/browser/otp-login-qr.js. */
export declare const WIDGET_BUNDLE: string;

/** Builds the bundle and returns its path and size in bytes, minified and gzipped. */
export declare function buildWidget(): Promise<{ path: string; min: number; gzip: number }>;

/** The element's own code, built the same way without Lit and the QR encoder, in bytes. */
export declare function measureOwnCode(): Promise<{ min: number; gzip: number }>;
