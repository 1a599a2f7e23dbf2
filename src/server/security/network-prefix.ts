import { isIP } from 'node:net';

/*
 * The network an address is in, as far as addresses tell: its IPv4 /24 or IPv6 /64. A home or
 * office has a /24 behind its NAT or a /64 of its own; one IPv6 host can take any address of its
 * /64, so counting by address alone is no limit at all there.
 */

/** `192.0.2.0/24` or `2001:db8:1:2::/64` for an address (IPv4-mapped IPv6 counts as IPv4). */
export function networkOf(ip: string): string | null {
  const value = unmapped(ip);
  const family = isIP(value);
  if (family === 4) return `${value.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) return `${expandIpv6(value).slice(0, 4).join(':')}::/64`;
  return null;
}

/** The IP version of an address (4 for IPv4-mapped IPv6), or null. */
export function ipVersionOf(ip: string): 4 | 6 | null {
  const family = isIP(unmapped(ip));
  return family === 4 || family === 6 ? family : null;
}

/**
 * Ranges whose addresses say nothing about where a device is: loopback (or a proxy that the
 * server was not told about, which makes every caller look the same), private networks, carrier
 * NAT (100.64.0.0/10: thousands of customers behind one address), link-local, unique-local
 * IPv6. Two such addresses that match prove nothing.
 */
const UNINFORMATIVE_IPV4: readonly [number, number][] = [
  // [first address as a number, prefix length]
  [ipv4Number('0.0.0.0'), 8],
  [ipv4Number('10.0.0.0'), 8],
  [ipv4Number('100.64.0.0'), 10],
  [ipv4Number('127.0.0.0'), 8],
  [ipv4Number('169.254.0.0'), 16],
  [ipv4Number('172.16.0.0'), 12],
  [ipv4Number('192.168.0.0'), 16],
];

/** True for an address in a range that says nothing about the network (see above). */
export function isUninformativeAddress(ip: string): boolean {
  const value = unmapped(ip);
  const family = isIP(value);
  if (family === 4) {
    const address = ipv4Number(value);
    return UNINFORMATIVE_IPV4.some(
      ([first, bits]) => address >>> (32 - bits) === first >>> (32 - bits),
    );
  }
  if (family !== 6) return true;
  const groups = expandIpv6(value);
  const first = Number.parseInt(groups[0] ?? '0', 16);
  const loopbackOrUnspecified = groups.slice(0, 7).every((group) => group === '0000');
  // fc00::/7 unique-local, fe80::/10 link-local.
  return loopbackOrUnspecified || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as the IPv4 address it is. */
function unmapped(ip: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);
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
