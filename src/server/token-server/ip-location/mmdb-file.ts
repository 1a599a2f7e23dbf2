import { readFile } from 'node:fs/promises';
import { Reader, type Response } from 'maxmind';
import { IpDatabaseError, unreadableDatabase } from './ip-database-error.js';
import type { ParsedAddress } from './ip-address.js';

/*
 * A MaxMind DB file (GeoIP2, GeoLite2, DB-IP and ip-location-db's MMDB files), read whole into
 * memory by the `maxmind` reader: lookups then touch no disk. The reader trusts the file, so
 * lookups here never throw: a corrupt record is an unknown address, not a failed login.
 */

/** One opened MMDB file. Records are left as the file has them: the callers know the layouts. */
export interface MmdbFile {
  readonly path: string;
  /** `GeoLite2-City`, `DBIP-City-Lite`, `city ipv4`, `GeoLite2-ASN`… as the file says. */
  readonly databaseType: string;
  /** An IPv4 file holds IPv4 only; an IPv6 one may hold IPv4 too (under ::/96). */
  readonly families: readonly (4 | 6)[];
  recordOf(address: ParsedAddress): Record<string, unknown> | null;
}

/**
 * Opens `path`, or throws IpDatabaseError: unreadable, or not an MMDB file, or (by its
 * database type) not a database of the `expected` kind.
 */
export async function openMmdbFile(
  path: string,
  expected: { kind: string; databaseType: RegExp },
): Promise<MmdbFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw unreadableDatabase(expected.kind, path, error);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IpDatabaseError(
      'ip_database_invalid',
      path,
      `The ${expected.kind} database is gzipped: unpack it (gunzip) and name the .mmdb file`,
    );
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(bytes);
  } catch (error) {
    throw new IpDatabaseError(
      'ip_database_invalid',
      path,
      `The ${expected.kind} database is not a MaxMind DB (.mmdb) file: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const { databaseType, ipVersion } = reader.metadata;
  // The type is the file's word; a file that has none is not trusted to be of the kind.
  const type: unknown = databaseType;
  if (typeof type !== 'string' || !expected.databaseType.test(type)) {
    throw new IpDatabaseError(
      'ip_database_invalid',
      path,
      `The ${expected.kind} database is of another kind (its type is ${JSON.stringify(type)})`,
    );
  }
  const families: readonly (4 | 6)[] = ipVersion === 4 ? [4] : [4, 6];
  return {
    path,
    databaseType,
    families,
    recordOf(address) {
      // An IPv4 file's tree is 32 bits deep: the reader would walk it with an IPv6 address's
      // first 32 bits and answer for some IPv4 address instead of saying it does not know.
      if (!families.includes(address.family)) return null;
      try {
        const record: unknown = reader.get(address.text);
        return typeof record === 'object' && record !== null
          ? (record as Record<string, unknown>)
          : null;
      } catch {
        return null;
      }
    },
  };
}
