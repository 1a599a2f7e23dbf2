/*
 * The little CBOR (RFC 8949) a software authenticator writes: unsigned and negative integers,
 * byte and text strings, and maps of those, in definite lengths. Enough for a COSE public key
 * and a `none` attestation object; nothing reads CBOR here.
 */

/** A value this encoder writes; a Map keeps its keys in the order given. */
export type CborValue = number | string | Uint8Array | Map<number | string, CborValue>;

/** The CBOR bytes of `value`. */
export function encodeCbor(value: CborValue): Uint8Array {
  const parts: Uint8Array[] = [];
  write(value, parts);
  return concatBytes(...parts);
}

/** The bytes of `parts`, one after the other. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function write(value: CborValue, parts: Uint8Array[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('Only integers are written.');
    parts.push(value >= 0 ? head(0, value) : head(1, -1 - value));
  } else if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    parts.push(head(3, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    parts.push(head(2, value.length), value);
  } else {
    parts.push(head(5, value.size));
    for (const [key, entry] of value) {
      write(key, parts);
      write(entry, parts);
    }
  }
}

/** A data item's first bytes: its major type and its argument (a length or a value). */
function head(majorType: number, argument: number): Uint8Array {
  const type = majorType << 5;
  if (argument < 24) return Uint8Array.of(type | argument);
  if (argument < 0x100) return Uint8Array.of(type | 24, argument);
  if (argument < 0x10000) return Uint8Array.of(type | 25, argument >> 8, argument & 0xff);
  const bytes = new Uint8Array(5);
  bytes[0] = type | 26;
  new DataView(bytes.buffer).setUint32(1, argument);
  return bytes;
}
