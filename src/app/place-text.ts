import type { PlaceView } from './view-models.js';

/**
 * From this distance on, the place of the browser is called far from the phone. A login from the
 * next city is common (a laptop on a mobile network is placed where its operator's gateway is);
 * one from another country, or the far end of one, is what a relay from elsewhere looks like.
 */
export const FAR_FROM_PHONE_KM = 300;

/** "Amsterdam, NL · KPN", or as much of it as is known; undefined when nothing is. */
export function placeLine(place: PlaceView | undefined): string | undefined {
  if (place === undefined) return undefined;
  const where = [place.city, place.country].filter(isText).join(', ');
  const line = [where, place.operator].filter(isText).join(' · ');
  return line === '' ? undefined : line;
}

/** The browser seems to be {@link FAR_FROM_PHONE_KM} or more from this phone. */
export function isFarFromPhone(place: PlaceView | undefined): boolean {
  return place?.distanceKm !== undefined && place.distanceKm >= FAR_FROM_PHONE_KM;
}

/** Six digits in two groups of three, as people read and type them: "482 193". */
export function groupedCode(code: string): string {
  return /^\d{6}$/.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

function isText(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}
