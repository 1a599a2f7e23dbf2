import { readFile } from 'node:fs/promises';
import { AsnCsvTable } from './asn-csv-table.js';
import { unreadableDatabase } from './ip-database-error.js';
import { openMmdbFile } from './mmdb-file.js';
import type { OperatorSource } from './network-operator.js';

/**
 * Opens a database of network operators: a CSV file in ip-location-db's num layout when its
 * name ends in `.csv`, else an MMDB file in GeoLite2-ASN's layout (`autonomous_system_number`,
 * `autonomous_system_organization`; GeoIP2-ISP and DB-IP's ASN files have it too).
 */
export async function openOperatorDatabase(path: string): Promise<OperatorSource> {
  if (path.toLowerCase().endsWith('.csv')) return AsnCsvTable.parse(await readBytes(path), path);
  const file = await openMmdbFile(path, { kind: 'network operator', databaseType: /asn|isp/i });
  return {
    families: file.families,
    operatorOf(address) {
      const record = file.recordOf(address);
      if (record === null) return null;
      const asn = record['autonomous_system_number'];
      const organisation = record['autonomous_system_organization'];
      return {
        asn: Number.isInteger(asn) && (asn as number) >= 0 ? (asn as number) : null,
        organisation:
          typeof organisation === 'string' && organisation.trim() !== ''
            ? organisation.trim()
            : null,
      };
    },
  };
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw unreadableDatabase('network operator', path, error);
  }
}
