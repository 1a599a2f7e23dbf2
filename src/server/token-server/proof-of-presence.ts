import { sha256Hex } from '../security/hashing.js';
import type { ProofOfPresencePolicy } from './config.js';

/*
 * Proof of presence: after Accept, the phone shows a code and the browser that started the
 * login must type it. A relaying attacker then needs the victim to read the code to them, and
 * the phone says never to tell it to anyone.
 */

/**
 * Whether a login of a type with `policy` needs the code, given the network verdict for its
 * browser and phone (sameNetwork()): `unless_same_network` lets only a verdict of "the same"
 * pass, since an unknown one is just what a relay from another network looks like.
 */
export function presenceRequired(
  policy: ProofOfPresencePolicy,
  sameNetwork: boolean | null,
): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return sameNetwork !== true;
}

/**
 * What the store keeps of a presence code: its SHA-256 together with the transaction id. The id
 * is stored only hashed, so a copy of the database cannot try the million codes offline.
 */
export function presenceCodeHash(transactionId: string, code: string): string {
  return sha256Hex(`otp-login-qr/presence/v1\n${transactionId}\n${code}`);
}
