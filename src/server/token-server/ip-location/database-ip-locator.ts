import { isUninformativeAddress } from '../../security/network-prefix.js';
import { cityFactsOf, type CityFacts } from './city-record.js';
import { parseAddress } from './ip-address.js';
import type { IpLocation, IpLocator } from './ip-locator.js';
import type { MmdbFile } from './mmdb-file.js';
import type { NetworkOperator, OperatorSource } from './network-operator.js';

/**
 * An IpLocator over opened databases: the first city file that knows the address gives its
 * place, the first operator source its operator. Lookups are in memory and synchronous.
 */
export class DatabaseIpLocator implements IpLocator {
  constructor(
    private readonly cityFiles: readonly MmdbFile[],
    private readonly operatorSources: readonly OperatorSource[],
    readonly attribution: string | null = null,
  ) {}

  locate(ip: string): IpLocation | null {
    // A private or carrier-NAT address is in every database's gaps, or worse, in a range some
    // operator once announced by mistake: it must say nothing rather than something wrong.
    if (isUninformativeAddress(ip)) return null;
    const address = parseAddress(ip);
    if (address === null) return null;
    const place = firstOf(this.cityFiles, (file) => {
      const record = file.recordOf(address);
      return record === null ? null : cityFactsOf(record);
    });
    const operator = firstOf(this.operatorSources, (source) => source.operatorOf(address));
    if (place === null && operator === null) return null;
    return locationOf(place, operator);
  }
}

function firstOf<Source, Found>(
  sources: readonly Source[],
  look: (source: Source) => Found | null,
): Found | null {
  for (const source of sources) {
    const found = look(source);
    if (found !== null) return found;
  }
  return null;
}

function locationOf(place: CityFacts | null, operator: NetworkOperator | null): IpLocation {
  return {
    city: place?.city ?? null,
    country: place?.country ?? null,
    latitude: place?.latitude ?? null,
    longitude: place?.longitude ?? null,
    operator: operator?.organisation ?? null,
    asn: operator?.asn ?? null,
  };
}
