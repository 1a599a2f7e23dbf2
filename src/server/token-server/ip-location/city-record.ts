/*
 * The place in a city database's record, in either layout the MMDB files in use have:
 * - GeoIP2 / GeoLite2 (and DB-IP's own MMDB downloads): `{city: {names: {en}}, country:
 *   {iso_code}, location: {latitude, longitude}}`;
 * - ip-location-db's DB-IP files (the embedded default): `{city, country_code, latitude,
 *   longitude}`, flat.
 * A country database in either layout gives the country alone. Anything else in the record, and
 * any value of the wrong type or out of range, is ignored: the file is data from outside.
 */

/** What a city database says about an address; null where it says nothing usable. */
export interface CityFacts {
  readonly city: string | null;
  readonly country: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** The place in `record`, or null when it holds none. */
export function cityFactsOf(record: Record<string, unknown>): CityFacts | null {
  const location = objectAt(record, 'location');
  const facts: CityFacts = {
    city: text(record['city']) ?? text(objectAt(objectAt(record, 'city'), 'names')['en']),
    country: countryCode(record['country_code'] ?? objectAt(record, 'country')['iso_code']),
    latitude: coordinate(record['latitude'] ?? location['latitude'], 90),
    longitude: coordinate(record['longitude'] ?? location['longitude'], 180),
  };
  const known = Object.values(facts).some((value) => value !== null);
  return known ? withCoordinatesInPairs(facts) : null;
}

function objectAt(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = record[key];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** ISO 3166-1 alpha-2 in upper case; DB-IP's `ZZ` (unknown) is no country. */
function countryCode(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value)) return null;
  const code = value.toUpperCase();
  return code === 'ZZ' ? null : code;
}

function coordinate(value: unknown, limit: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit
    ? value
    : null;
}

/** A latitude without its longitude places nothing. */
function withCoordinatesInPairs(facts: CityFacts): CityFacts {
  return facts.latitude === null || facts.longitude === null
    ? { ...facts, latitude: null, longitude: null }
    : facts;
}
