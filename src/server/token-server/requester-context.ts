import Bowser from 'bowser';
import { isIP } from 'node:net';

/** What the phone shows about the browser that asked to log in. */
export interface BrowserDescription {
  browser: string | null;
  os: string | null;
}

/** Browser and OS from a user agent, e.g. `{browser: 'Firefox 128', os: 'Windows 10'}`. */
export function describeUserAgent(userAgent: string | null): BrowserDescription {
  if (userAgent === null || userAgent === '') return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  const browserVersion = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name
    ? [parsed.browser.name, browserVersion].filter(Boolean).join(' ')
    : null;
  const os = parsed.os.name
    ? [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ')
    : null;
  return { browser, os };
}

/**
 * Whether the phone and the browser seem to share a network: the same IPv4 /24 or IPv6 /64.
 * A hint for the user ("this login comes from another network"), not a security check.
 * Unknown when either address is missing.
 */
export function sameNetwork(browserIp: string | null, phoneIp: string | null): boolean | null {
  if (browserIp === null || phoneIp === null) return null;
  const a = normalizeIp(browserIp);
  const b = normalizeIp(phoneIp);
  if (a === null || b === null || a.family !== b.family) return a?.value === b?.value ? true : null;
  return a.family === 4
    ? a.value.split('.').slice(0, 3).join('.') === b.value.split('.').slice(0, 3).join('.')
    : expandIpv6(a.value).slice(0, 4).join(':') === expandIpv6(b.value).slice(0, 4).join(':');
}

function normalizeIp(ip: string): { family: 4 | 6; value: string } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const value = mapped?.[1] ?? ip;
  const family = isIP(value);
  return family === 4 || family === 6 ? { family, value } : null;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const missing = ip.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((part) =>
    part.toLowerCase().padStart(4, '0'),
  );
}
