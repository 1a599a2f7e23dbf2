import { isIP } from 'node:net';

/*
 * The network an address is in, as far as addresses tell: its IPv4 /24 or IPv6 /64. A home or
 * office has a /24 behind its NAT or a /64 of its own; one IPv6 host can take any address of its
 * /64, so counting by address alone is no limit at all there.
 */

/** `192.0.2.0/24` or `2001:db8:1:2::/64` for an address (IPv4-mapped IPv6 counts as IPv4). */
export function networkOf(ip: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const value = mapped?.[1] ?? ip;
  const family = isIP(value);
  if (family === 4) return `${value.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) return `${expandIpv6(value).slice(0, 4).join(':')}::/64`;
  return null;
}

/** The IP version of an address (4 for IPv4-mapped IPv6), or null. */
export function ipVersionOf(ip: string): 4 | 6 | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const family = isIP(mapped?.[1] ?? ip);
  return family === 4 || family === 6 ? family : null;
}

/** The eight groups of an IPv6 address, each as four lowercase hex digits. */
function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const missing = ip.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((part) =>
    part.toLowerCase().padStart(4, '0'),
  );
}
