import Bowser from 'bowser';
import { isDeviceName, isLoopbackHost, MAX_DEVICE_NAME_LENGTH } from '../protocol/index.js';
import { BrowserPasskeyAuthenticator } from './browser-passkey-authenticator.js';
import type { DeviceStorage } from './device-storage.js';
import { IndexedDbDeviceStorage } from './indexed-db-device-storage.js';
import type { OneginiConfig } from './onegini-config.js';
import { oneginiError } from './onegini-error.js';
import type { PasskeyAuthenticator } from './passkey-authenticator.js';

/** The configuration with every default filled in. */
export interface ResolvedConfig {
  readonly tokenServerUrl: string;
  readonly storage: DeviceStorage;
  /** undefined: named from the user agent at enrollment. */
  readonly deviceName: string | undefined;
  readonly requestTimeoutMs: number;
  readonly fetch: typeof fetch;
  readonly passkeyAuthenticator: PasskeyAuthenticator;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Checks a configuration: wrong types are a TypeError, unusable values a 10001 OneginiError. */
export function resolveConfig(config: OneginiConfig): ResolvedConfig {
  const given: unknown = config;
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('config must be an object.');
  }
  if (typeof config.tokenServerUrl !== 'string') {
    throw new TypeError('config.tokenServerUrl must be a string.');
  }
  const tokenServerUrl = normalizeTokenServerUrl(config.tokenServerUrl);
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new TypeError('config.requestTimeoutMs must be a positive number.');
  }
  const deviceName = config.deviceName?.trim();
  if (deviceName !== undefined && !isDeviceName(deviceName)) {
    throw new TypeError(
      `config.deviceName must be 1 to ${MAX_DEVICE_NAME_LENGTH} characters of plain text: no control or invisible characters, no two spaces in a row.`,
    );
  }
  const fetchImplementation = config.fetch ?? globalThis.fetch.bind(globalThis);
  const passkeyAuthenticator = config.passkeyAuthenticator ?? new BrowserPasskeyAuthenticator();
  if (!isPasskeyAuthenticator(passkeyAuthenticator)) {
    throw new TypeError(
      'config.passkeyAuthenticator must have isAvailable, register and verify methods.',
    );
  }
  return {
    tokenServerUrl,
    storage: config.storage ?? defaultStorage(),
    deviceName,
    requestTimeoutMs,
    fetch: fetchImplementation,
    passkeyAuthenticator,
  };
}

function isPasskeyAuthenticator(value: unknown): value is PasskeyAuthenticator {
  if (typeof value !== 'object' || value === null) return false;
  const methods = value as Record<string, unknown>;
  return ['isAvailable', 'register', 'verify'].every((name) => typeof methods[name] === 'function');
}

/** The URL without a trailing slash, so that profiles compare equal whatever was configured. */
export function normalizeTokenServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw oneginiError('CONFIGURATION_ERROR', 'tokenServerUrl is not an absolute URL.', { cause });
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!secure) {
    throw oneginiError(
      'CONFIGURATION_ERROR',
      'tokenServerUrl must be https (http only for localhost).',
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw oneginiError(
      'CONFIGURATION_ERROR',
      'tokenServerUrl must not have a query, a fragment, a user name or a password.',
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function defaultStorage(): DeviceStorage {
  if (typeof globalThis.indexedDB === 'undefined') {
    throw oneginiError(
      'CONFIGURATION_ERROR',
      'No IndexedDB here: pass config.storage (MemoryDeviceStorage in Node).',
    );
  }
  return new IndexedDbDeviceStorage();
}

/** A name for this device from the user agent, e.g. "Chrome on Android". */
export function defaultDeviceName(): string {
  const agent = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  if (agent === '') return 'Web app';
  const parsed = Bowser.parse(agent);
  const parts = [parsed.browser.name, parsed.os.name].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  const name = parts.join(' on ');
  // Bowser names a browser it does not know by its user agent's first words, which may be anything.
  return isDeviceName(name) ? name : 'Web app';
}
