import { IpDatabaseError } from './ip-database-error.js';
import type { ParsedAddress } from './ip-address.js';
import type { NetworkOperator, OperatorSource } from './network-operator.js';

/*
 * Operators from a CSV file in ip-location-db's "num" layout (`@ip-location-db/asn`'s
 * asn-ipv4-num.csv and asn-ipv6-num.csv): one line per inclusive range,
 * `start,end,asn,"organisation"`, addresses as decimal numbers, sorted by start.
 *
 * Half a million lines as JavaScript objects would cost well over 100 MB; as parallel typed
 * arrays (and the names) they cost about 16 MB, and a lookup is a binary search. Organisation names repeat (one
 * operator announces many ranges), so each is stored once and the ranges point to it.
 *
 * IPv6 ranges are kept by their first 64 bits. Operators are routed as /48 or shorter prefixes
 * and hand out at least a /64 to a site, so range bounds fall on /64 boundaries; the few in the
 * data that do not (single anycast addresses of a registry) change only which of two operators
 * of one /64 a lookup names. Thus one 64-bit number per bound instead of a 128-bit BigInt.
 */

const NO_NAME = 0xffff_ffff;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const COMMA = 0x2c;
const MAX_IPV4 = 0xffff_ffff;

/** The ranges of one CSV file, in one IP version. */
export class AsnCsvTable implements OperatorSource {
  readonly families: readonly (4 | 6)[];

  readonly family: 4 | 6;
  private readonly starts: Uint32Array | BigUint64Array;
  private readonly ends: Uint32Array | BigUint64Array;
  private readonly asns: Uint32Array;
  private readonly nameIndexes: Uint32Array;
  private readonly names: readonly string[];

  private constructor(columns: AsnColumns) {
    ({
      family: this.family,
      starts: this.starts,
      ends: this.ends,
      asns: this.asns,
      nameIndexes: this.nameIndexes,
      names: this.names,
    } = columns);
    this.families = [this.family];
  }

  /** How many ranges it holds. */
  get size(): number {
    return this.starts.length;
  }

  /**
   * Reads the bytes of the CSV file `path` (named in errors). Its IP version is that of its
   * first line: IPv4 when the numbers fit in 32 bits.
   */
  static parse(bytes: Buffer, path: string): AsnCsvTable {
    const builder = new TableBuilder(path, countLines(bytes));
    let lineStart = 0;
    let lineNumber = 0;
    while (lineStart < bytes.length) {
      let lineEnd = bytes.indexOf(NEWLINE, lineStart);
      if (lineEnd === -1) lineEnd = bytes.length;
      lineNumber += 1;
      const contentEnd = bytes[lineEnd - 1] === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
      if (contentEnd > lineStart) builder.add(bytes, lineStart, contentEnd, lineNumber);
      lineStart = lineEnd + 1;
    }
    return new AsnCsvTable(builder.build());
  }

  operatorOf(address: ParsedAddress): NetworkOperator | null {
    if (address.family !== this.family) return null;
    const key = address.family === 4 ? address.number : address.high64;
    const index = lastAtOrBelow(this.starts, key);
    // Ranges do not nest in the data; where a buggy file has one inside another, the addresses
    // of the outer one after the inner one's end are not found rather than named wrongly.
    if (index === -1 || key > (this.ends[index] ?? -1)) return null;
    const nameIndex = this.nameIndexes[index] ?? NO_NAME;
    return {
      asn: this.asns[index] ?? null,
      organisation: nameIndex === NO_NAME ? null : (this.names[nameIndex] ?? null),
    };
  }
}

/** The index of the last start at or below `key` in an ascending array, or -1. */
function lastAtOrBelow(starts: Uint32Array | BigUint64Array, key: number | bigint): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] ?? 0) <= key) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function countLines(bytes: Buffer): number {
  let count = 1;
  for (
    let index = bytes.indexOf(NEWLINE);
    index !== -1;
    index = bytes.indexOf(NEWLINE, index + 1)
  ) {
    count += 1;
  }
  return count;
}

/** Range i is starts[i]..ends[i] (inclusive), announced by asns[i], named names[nameIndexes[i]]. */
interface AsnColumns {
  readonly family: 4 | 6;
  readonly starts: Uint32Array | BigUint64Array;
  readonly ends: Uint32Array | BigUint64Array;
  readonly asns: Uint32Array;
  readonly nameIndexes: Uint32Array;
  readonly names: readonly string[];
}

const DECIMAL_128 = /^\d{1,39}$/;

/**
 * The decimal number of up to 10 digits at `from`..`to` of `bytes`, or null when it is none (or
 * longer): read from the bytes, with no string made for the half million IPv4 bounds.
 */
function decimalAt(bytes: Buffer, from: number, to: number): number | null {
  if (to <= from || to - from > 10) return null;
  let value = 0;
  for (let index = from; index < to; index += 1) {
    const digit = (bytes[index] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

/** Fills the arrays line by line, then sorts them if the file was not sorted. */
class TableBuilder {
  private family: 4 | 6 | null = null;
  private starts: Uint32Array | BigUint64Array = new Uint32Array(0);
  private ends: Uint32Array | BigUint64Array = new Uint32Array(0);
  private readonly asns: Uint32Array;
  private readonly nameIndexes: Uint32Array;
  private readonly names: string[] = [];
  private readonly nameIndexByName = new Map<string, number>();
  private count = 0;
  private sorted = true;

  constructor(
    private readonly path: string,
    private readonly capacity: number,
  ) {
    this.asns = new Uint32Array(capacity);
    this.nameIndexes = new Uint32Array(capacity);
  }

  /** Adds the line at `start`..`end` (no line break) of `bytes`. */
  add(bytes: Buffer, start: number, end: number, lineNumber: number): void {
    // The fields are cut from the bytes, not from one string of the whole file: a piece of a
    // string can keep all of it alive (V8's sliced strings), and the names are kept for good.
    const firstComma = bytes.indexOf(COMMA, start);
    const secondComma = firstComma === -1 ? -1 : bytes.indexOf(COMMA, firstComma + 1);
    const thirdComma = secondComma === -1 ? -1 : bytes.indexOf(COMMA, secondComma + 1);
    if (thirdComma === -1 || thirdComma >= end) {
      this.fail(lineNumber, 'is not `start,end,asn,organisation`');
    }
    const asn = decimalAt(bytes, secondComma + 1, thirdComma);
    if (asn === null || asn > MAX_IPV4) this.fail(lineNumber, 'has no AS number of 32 bits');
    const organisation = unquote(bytes.toString('utf8', thirdComma + 1, end), () =>
      this.fail(lineNumber, 'has an unclosed quote'),
    );
    const firstOfIpv4 = decimalAt(bytes, start, firstComma);
    this.family ??= this.allocate(firstOfIpv4 !== null && firstOfIpv4 <= MAX_IPV4 ? 4 : 6);
    const index = this.count;
    if (this.family === 4) {
      const first = firstOfIpv4;
      const last = decimalAt(bytes, firstComma + 1, secondComma);
      if (first === null || last === null || last > MAX_IPV4) {
        this.fail(lineNumber, 'has no range of IPv4 numbers (IPv6 ones in an IPv4 file?)');
      }
      if (first > last) this.fail(lineNumber, 'ends before it starts');
      this.starts[index] = first;
      this.ends[index] = last;
    } else {
      // Up to 39 digits: parsed as BigInt, from short-lived strings.
      const startText = bytes.toString('latin1', start, firstComma);
      const endText = bytes.toString('latin1', firstComma + 1, secondComma);
      if (!DECIMAL_128.test(startText) || !DECIMAL_128.test(endText)) {
        this.fail(lineNumber, 'has no range of IPv6 numbers');
      }
      const first = BigInt(startText);
      const last = BigInt(endText);
      if (last >> 128n !== 0n) this.fail(lineNumber, 'has a number beyond 128 bits');
      if (first > last) this.fail(lineNumber, 'ends before it starts');
      this.starts[index] = first >> 64n;
      this.ends[index] = last >> 64n;
    }
    if (index > 0 && (this.starts[index] ?? 0) < (this.starts[index - 1] ?? 0)) this.sorted = false;
    this.asns[index] = asn;
    this.nameIndexes[index] = this.nameIndex(organisation);
    this.count += 1;
  }

  build(): AsnColumns {
    if (this.family === null || this.count === 0) {
      throw new IpDatabaseError(
        'ip_database_invalid',
        this.path,
        'The operator CSV file holds no ranges',
      );
    }
    const order = this.sorted ? null : sortedOrder(this.starts.subarray(0, this.count));
    return {
      family: this.family,
      starts: reorder(this.starts.slice(0, this.count), order),
      ends: reorder(this.ends.slice(0, this.count), order),
      asns: reorder(this.asns.slice(0, this.count), order),
      nameIndexes: reorder(this.nameIndexes.slice(0, this.count), order),
      names: this.names,
    };
  }

  private allocate(family: 4 | 6): 4 | 6 {
    this.starts = family === 4 ? new Uint32Array(this.capacity) : new BigUint64Array(this.capacity);
    this.ends = family === 4 ? new Uint32Array(this.capacity) : new BigUint64Array(this.capacity);
    return family;
  }

  private nameIndex(name: string): number {
    if (name === '') return NO_NAME;
    let index = this.nameIndexByName.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.nameIndexByName.set(name, index);
    }
    return index;
  }

  private fail(lineNumber: number, what: string): never {
    throw new IpDatabaseError(
      'ip_database_invalid',
      this.path,
      `Line ${lineNumber} of the operator CSV file ${what}`,
    );
  }
}

/** A CSV field: `"Cloudflare, Inc."` → `Cloudflare, Inc.`, `""` inside quotes → `"`; trimmed. */
function unquote(field: string, unclosed: () => never): string {
  if (!field.startsWith('"')) return field.trim();
  if (field.length < 2 || !field.endsWith('"')) unclosed();
  return field.slice(1, -1).replaceAll('""', '"').trim();
}

/** The indexes of `starts` in ascending order of start (stable: equal starts keep file order). */
function sortedOrder(starts: Uint32Array | BigUint64Array): Uint32Array {
  const order = Array.from({ length: starts.length }, (_, index) => index);
  order.sort((a, b) => {
    const left = starts[a] ?? 0;
    const right = starts[b] ?? 0;
    return left < right ? -1 : left > right ? 1 : a - b;
  });
  return Uint32Array.from(order);
}

function reorder<Values extends Uint32Array | BigUint64Array>(
  values: Values,
  order: Uint32Array | null,
): Values {
  if (order === null) return values;
  const copy = values.slice() as Values;
  order.forEach((from, to) => {
    copy[to] = values[from] ?? 0;
  });
  return copy;
}
