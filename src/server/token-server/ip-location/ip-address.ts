import { isIP } from 'node:net';

/*
 * Addresses as the databases index them: IPv4 as a 32-bit number, IPv6 by its first 64 bits
 * (asn-table.ts says why 64 are enough). An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a
 * dual-stack socket reports for an IPv4 client) is the IPv4 address it carries.
 */

/** An address, parsed once for every database that looks it up. */
export type ParsedAddress =
  | { readonly family: 4; readonly text: string; readonly number: number }
  | { readonly family: 6; readonly text: string; readonly high64: bigint };

/** The address, or null for anything that is not one (a host name, garbage, a zone id). */
export function parseAddress(ip: string): ParsedAddress | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  const text = mapped ?? ip;
  const family = isIP(text);
  if (family === 4) return { family: 4, text, number: ipv4Number(text) };
  if (family === 6 && !text.includes('%')) return { family: 6, text, high64: ipv6High64(text) };
  return null;
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** The first four groups of an IPv6 address (its /64) as one unsigned 64-bit number. */
function ipv6High64(ip: string): bigint {
  // A dotted tail (`64:ff9b::192.0.2.1`) holds the last 32 bits, which do not matter here, but
  // it counts as two groups when `::` is expanded.
  const withoutDots = ip.replace(/\d+\.\d+\.\d+\.\d+$/, '0:0');
  const [head = '', tail = ''] = withoutDots.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const missing = withoutDots.includes('::') ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
