/*
 * The app's runtime settings, read from ./config.json next to index.html at start-up, so that
 * one build runs against any Token Server. The server that hosts the app writes that file.
 */
import { BodyTooLargeError, readTextUpTo } from '../protocol/index.js';

/** What config.json holds. */
export interface AppConfig {
  /** Where the Token Server's mobile API lives, e.g. `https://tokens.example.com`. */
  readonly tokenServerUrl: string;
}

export type AppConfigErrorCode = 'unreachable' | 'http_error' | 'invalid';

/** config.json could not be read or is not valid. */
export class AppConfigError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly code: AppConfigErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The most of config.json the app reads, in bytes: it holds one URL. */
const MAX_CONFIG_BYTES = 4096;

/** Reads and checks the configuration; throws {@link AppConfigError}. */
export async function loadAppConfig(url: string | URL, signal?: AbortSignal): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache', signal: signal ?? null });
  } catch (cause) {
    throw new AppConfigError('unreachable', 'The settings file could not be fetched.', { cause });
  }
  if (!response.ok) {
    throw new AppConfigError('http_error', `The settings file answered ${response.status}.`);
  }
  let text: string;
  try {
    text = await readTextUpTo(response, MAX_CONFIG_BYTES);
  } catch (cause) {
    if (!(cause instanceof BodyTooLargeError)) {
      throw new AppConfigError('unreachable', 'The settings file could not be read.', { cause });
    }
    if (cause.declared) await response.body?.cancel().catch(() => undefined);
    throw new AppConfigError('invalid', 'The settings file is too large.', { cause });
  }
  return parseAppConfig(text);
}

/** Checks the text of config.json. */
export function parseAppConfig(text: string): AppConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppConfigError('invalid', 'The settings file is not JSON.', { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppConfigError('invalid', 'The settings file is not a JSON object.');
  }
  const { tokenServerUrl } = json as Record<string, unknown>;
  if (typeof tokenServerUrl !== 'string') {
    throw new AppConfigError('invalid', 'tokenServerUrl is missing.');
  }
  let url: URL;
  try {
    url = new URL(tokenServerUrl);
  } catch (cause) {
    throw new AppConfigError('invalid', 'tokenServerUrl is not an absolute URL.', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppConfigError('invalid', 'tokenServerUrl must be an http or https URL.');
  }
  return { tokenServerUrl: url.href.replace(/\/$/, '') };
}

const SAVED_CONFIG_KEY = 'otp-login-qr.config';

/**
 * Reads config.json, and keeps the last good copy: offline, before the service worker has cached
 * the file, the app still starts with it (and can say that a login needs the network).
 */
export async function loadAppConfigOrLastCopy(
  url: string | URL,
): Promise<{ config: AppConfig; offline: boolean }> {
  try {
    const config = await loadAppConfig(url);
    try {
      localStorage.setItem(SAVED_CONFIG_KEY, JSON.stringify(config));
    } catch {
      // No storage (private mode): the copy is a convenience only.
    }
    return { config, offline: false };
  } catch (error) {
    if (!(error instanceof AppConfigError) || error.code !== 'unreachable') throw error;
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(SAVED_CONFIG_KEY);
    } catch {
      // as above
    }
    if (saved === null) throw error;
    return { config: parseAppConfig(saved), offline: true };
  }
}
