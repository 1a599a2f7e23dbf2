import { DatabaseIpLocator } from './database-ip-locator.js';
import { embeddedCityDatabases, embeddedOperatorDatabases } from './embedded-ip-databases.js';
import type { IpLocator } from './ip-locator.js';
import { openMmdbFile } from './mmdb-file.js';
import { openOperatorDatabase } from './operator-database.js';

/**
 * Which IP databases a Token Server reads (its configuration's `ipLocation`). A path may be a
 * list: ip-location-db's files come as one for IPv4 and one for IPv6.
 */
export interface IpLocationOptions {
  /**
   * A city (or country) MMDB file: GeoIP2-City / GeoLite2-City, DB-IP's, or ip-location-db's.
   * Without it, the embedded DB-IP City Lite when installed.
   */
  readonly cityDatabase?: string | readonly string[];
  /**
   * The network operators: a GeoLite2-ASN-layout MMDB file, or a CSV file (name ending in
   * `.csv`) in ip-location-db's num layout. Without it, the embedded @ip-location-db/asn when
   * installed.
   */
  readonly asnDatabase?: string | readonly string[];
  /** Whether to fall back on the installed @ip-location-db packages. Default true. */
  readonly embedded?: boolean;
  /**
   * The credit your databases' licence asks of whoever shows their data, e.g. "IP geolocation by
   * MaxMind GeoLite2"; the phone shows it with the place. The embedded databases' credits are
   * added by themselves.
   */
  readonly attribution?: string;
}

/** What the embedded databases' licences (CC BY 4.0) ask to be credited where a place is shown. */
const EMBEDDED_CITY_CREDIT = 'IP geolocation by DB-IP (db-ip.com)';
const EMBEDDED_OPERATOR_CREDIT = 'network operators by RouteViews, DB-IP and NRO';

/*
 * The embedded databases take about 170 MB of memory and a second or two to open
 * (docs/benchmarks.md). A process that runs several Token Servers (tests, the demo) opens them
 * once: the same files give the same locator. A failed open is not kept, so the next attempt
 * reads again. Files are read once: a file replaced on disk is read by the next process.
 */
const opened = new Map<string, Promise<IpLocator | null>>();

/**
 * Opens the IP databases that `options` name, or the embedded ones in their place. Resolves to
 * null when there are none (the phone then shows no place); rejects with IpDatabaseError when a
 * file is named, or installed, but cannot be read or is not what it should be.
 */
export function openIpLocator(options: IpLocationOptions = {}): Promise<IpLocator | null> {
  const embedded = options.embedded ?? true;
  const cityPaths = pathsOf(options.cityDatabase) ?? (embedded ? embeddedCityDatabases() : null);
  const operatorPaths =
    pathsOf(options.asnDatabase) ?? (embedded ? embeddedOperatorDatabases() : null);
  const credits = [
    options.attribution,
    pathsOf(options.cityDatabase) === null && cityPaths !== null ? EMBEDDED_CITY_CREDIT : undefined,
    pathsOf(options.asnDatabase) === null && operatorPaths !== null
      ? EMBEDDED_OPERATOR_CREDIT
      : undefined,
  ].filter((credit) => credit !== undefined && credit !== '');
  const attribution = credits.length === 0 ? null : credits.join('; ');
  const key = JSON.stringify([cityPaths, operatorPaths, attribution]);
  let locator = opened.get(key);
  if (locator === undefined) {
    locator = openDatabases(cityPaths ?? [], operatorPaths ?? [], attribution);
    opened.set(key, locator);
    locator.catch(() => opened.delete(key));
  }
  return locator;
}

async function openDatabases(
  cityPaths: readonly string[],
  operatorPaths: readonly string[],
  attribution: string | null,
): Promise<IpLocator | null> {
  if (cityPaths.length === 0 && operatorPaths.length === 0) return null;
  const [cityFiles, operatorSources] = await Promise.all([
    Promise.all(
      cityPaths.map((path) =>
        openMmdbFile(path, { kind: 'city', databaseType: /city|country|enterprise|location/i }),
      ),
    ),
    Promise.all(operatorPaths.map((path) => openOperatorDatabase(path))),
  ]);
  return new DatabaseIpLocator(cityFiles, operatorSources, attribution);
}

function pathsOf(option: string | readonly string[] | undefined): readonly string[] | null {
  if (option === undefined) return null;
  return typeof option === 'string' ? [option] : option;
}
