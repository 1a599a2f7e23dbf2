import Bowser from 'bowser';
import { ipVersionOf, isUninformativeAddress, networkOf } from '../security/network-prefix.js';

/** What the phone shows about the browser that asked to log in. */
export interface BrowserDescription {
  browser: string | null;
  os: string | null;
}

/*
 * The user agent is the text of whoever started the login, and the phone shows what comes of it
 * as evidence ("Firefox 128 on Windows 10"). Bowser names an agent it does not know by its first
 * word, so "Demo Bank Official App/1" or a right-to-left override would reach the phone as a
 * browser's name. Only the names on Bowser's own lists are shown, with versions of digits.
 */
const KNOWN_BROWSERS: ReadonlySet<string> = new Set(Object.values(Bowser.BROWSER_MAP));
const KNOWN_SYSTEMS: ReadonlySet<string> = new Set(Object.values(Bowser.OS_MAP));
const MAJOR_VERSION = /^\d{1,6}$/;
const VERSION = /^\d{1,6}(?:\.\d{1,6}){0,3}$/;

/**
 * Browser and OS from a user agent, e.g. `{browser: 'Firefox 128', os: 'Windows 10'}`; null for
 * a browser or system that is not a known one.
 */
export function describeUserAgent(userAgent: string | null): BrowserDescription {
  if (userAgent === null || userAgent === '') return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  return { browser: browserText(parsed.browser), os: systemText(parsed.os) };
}

function browserText({ name, version }: Bowser.Parser.Details): string | null {
  if (name === undefined || !KNOWN_BROWSERS.has(name)) return null;
  const major = version?.split('.')[0];
  return major !== undefined && MAJOR_VERSION.test(major) ? `${name} ${major}` : name;
}

function systemText({ name, version, versionName }: Bowser.Parser.OSDetails): string | null {
  if (name === undefined || !KNOWN_SYSTEMS.has(name)) return null;
  // versionName comes from Bowser's own tables ("10", "Sonoma"); version from the agent's text.
  if (versionName !== undefined && versionName !== '') return `${name} ${versionName}`;
  return version !== undefined && VERSION.test(version) ? `${name} ${version}` : name;
}

/**
 * Whether the phone and the browser seem to share a network: the same IPv4 /24 or IPv6 /64.
 * A hint for the user ("this login comes from another network"), not a security check. Unknown
 * (null, which the phone shows as a warning too) when it cannot honestly say: an address is
 * missing, the two are of different IP versions, or either is one that says nothing (private,
 * carrier NAT, loopback: see isUninformativeAddress).
 */
export function sameNetwork(browserIp: string | null, phoneIp: string | null): boolean | null {
  if (browserIp === null || phoneIp === null) return null;
  if (isUninformativeAddress(browserIp) || isUninformativeAddress(phoneIp)) return null;
  const browser = networkOf(browserIp);
  const phone = networkOf(phoneIp);
  if (browser === null || phone === null) return null;
  // An IPv4 and an IPv6 address say nothing about each other.
  if (ipVersionOf(browserIp) !== ipVersionOf(phoneIp)) return null;
  return browser === phone;
}
