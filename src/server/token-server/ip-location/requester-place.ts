import { MAX_PLACE_CREDIT_LENGTH, type RequesterPlace } from '../../../protocol/index.js';
import { isUninformativeAddress } from '../../security/network-prefix.js';
import { greatCircleDistanceKm } from './great-circle-distance.js';
import type { IpLocation, IpLocator } from './ip-locator.js';
import { shownPlaceName } from './shown-place-name.js';

/**
 * Where the browser that asked (to log in, or to link a phone) seems to be, as the phone is
 * told: its city, country and network operator, and how far that is from the phone. Null when
 * there is no locator, no browser address, or the address says nothing (private, loopback,
 * carrier NAT) or nothing the database knows.
 *
 * The same addresses always give the same place: the phone signs what it was shown
 * (shownDigest), and a redemption repeated from the same network must show the same details.
 */
export function requesterPlace(
  locator: IpLocator | null,
  browserIp: string | null,
  phoneIp: string | null,
): RequesterPlace | null {
  if (locator === null || browserIp === null || isUninformativeAddress(browserIp)) return null;
  const browser = locate(locator, browserIp);
  if (browser === null) return null;
  const place: RequesterPlace = {
    city: shownPlaceName(browser.city),
    country:
      browser.country !== null && /^[A-Z]{2}$/.test(browser.country) ? browser.country : null,
    operator: shownPlaceName(browser.operator),
    distance_km: null,
    credit: shownCredit(locator.attribution),
  };
  if (place.city === null && place.country === null && place.operator === null) return null;
  const phone =
    phoneIp === null || isUninformativeAddress(phoneIp) ? null : locate(locator, phoneIp);
  return { ...place, distance_km: distanceKm(browser, phone) };
}

/** A locator that fails is a place not known: a hint must never fail a login. */
function locate(locator: IpLocator, ip: string): IpLocation | null {
  try {
    return locator.locate(ip);
  } catch {
    return null;
  }
}

/**
 * Kilometres between two places known to city level, rounded; null otherwise. A country's
 * coordinates are its middle, and "2,000 km from this phone" from them would be made up.
 */
function distanceKm(browser: IpLocation, phone: IpLocation | null): number | null {
  if (phone === null || browser.city === null || phone.city === null) return null;
  const { latitude: browserLatitude, longitude: browserLongitude } = browser;
  const { latitude: phoneLatitude, longitude: phoneLongitude } = phone;
  if (browserLatitude === null || browserLongitude === null) return null;
  if (phoneLatitude === null || phoneLongitude === null) return null;
  return Math.round(
    greatCircleDistanceKm(
      { latitude: browserLatitude, longitude: browserLongitude },
      { latitude: phoneLatitude, longitude: phoneLongitude },
    ),
  );
}

/** The credit as the phone may show it: the display rules of place names, at a credit's length. */
function shownCredit(attribution: string | null | undefined): string | null {
  if (attribution === undefined || attribution === null) return null;
  return shownPlaceName(attribution, MAX_PLACE_CREDIT_LENGTH);
}
