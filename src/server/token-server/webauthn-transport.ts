import type { AuthenticatorTransportFuture } from '@simplewebauthn/server';

const TRANSPORTS: ReadonlySet<string> = new Set<AuthenticatorTransportFuture>([
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
]);

/**
 * A transport WebAuthn knows (how a browser reaches an authenticator). Others, from a newer
 * browser, are dropped rather than refused: they only hint where a passkey is.
 */
export function isTransport(transport: string): transport is AuthenticatorTransportFuture {
  return TRANSPORTS.has(transport);
}
