import { sha256Hex } from '../security/hashing.js';
import { ipVersionOf } from '../security/network-prefix.js';
import type { ProofOfPresencePolicy } from './config.js';
import { sameNetwork } from './requester-context.js';

/*
 * Proof of presence: after Accept, the phone shows a code and the browser that started the
 * login must type it. A relaying attacker then needs the victim to read the code to them, and
 * the phone says never to tell it to anyone.
 */

/**
 * Whether a login of a type with `policy` needs the code, given the addresses of its browser and
 * phone. `unless_same_network` lets only one household's connection pass: the same public IPv4
 * address (one NAT) or the same IPv6 /64. A shared /24 is not enough: a carrier's NAT pool, a
 * public Wi-Fi or a proxy service puts strangers there, and an attacker can rent an address in
 * the victim's. An unknown verdict is just what a relay from elsewhere looks like.
 */
export function presenceRequired(
  policy: ProofOfPresencePolicy,
  browserIp: string | null,
  phoneIp: string | null,
): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return !isOneHousehold(browserIp, phoneIp);
}

/** The same public IPv4 address, or the same IPv6 /64 (one home's, one office's prefix). */
export function isOneHousehold(browserIp: string | null, phoneIp: string | null): boolean {
  if (browserIp === null || phoneIp === null || sameNetwork(browserIp, phoneIp) !== true)
    return false;
  if (ipVersionOf(browserIp) === 6 && !isMappedIpv4(browserIp)) return true;
  return withoutMapping(browserIp) === withoutMapping(phoneIp);
}

function isMappedIpv4(ip: string): boolean {
  return /^::ffff:\d/i.test(ip);
}

function withoutMapping(ip: string): string {
  return ip.replace(/^::ffff:(?=\d)/i, '');
}

/**
 * What the store keeps of a presence code: its SHA-256 together with the transaction id. The id
 * is stored only hashed, so a copy of the database cannot try the million codes offline.
 */
export function presenceCodeHash(transactionId: string, code: string): string {
  return sha256Hex(`otp-login-qr/presence/v1\n${transactionId}\n${code}`);
}
