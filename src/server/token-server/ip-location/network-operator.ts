import type { ParsedAddress } from './ip-address.js';

/** The autonomous system an address is announced by: its number and its organisation's name. */
export interface NetworkOperator {
  readonly asn: number | null;
  /** As the database spells it, trimmed; null when it gives none. */
  readonly organisation: string | null;
}

/** One database of operators (an MMDB file or a CSV table), for one IP version or both. */
export interface OperatorSource {
  /** The IP versions it holds: an IPv4-only file cannot be asked about IPv6 and vice versa. */
  readonly families: readonly (4 | 6)[];
  operatorOf(address: ParsedAddress): NetworkOperator | null;
}
