/** A point on the earth, in degrees. */
export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

/** The mean radius of the earth (IUGG), in kilometres. */
const EARTH_RADIUS_KM = 6371.0088;

/**
 * The distance between two points along the earth's surface, in kilometres (haversine: exact
 * for a sphere, within 0.5 % of the ellipsoid, far finer than a city database's places).
 */
export function greatCircleDistanceKm(from: Coordinates, to: Coordinates): number {
  const radians = Math.PI / 180;
  const deltaLatitude = (to.latitude - from.latitude) * radians;
  const deltaLongitude = (to.longitude - from.longitude) * radians;
  const haversine =
    Math.sin(deltaLatitude / 2) ** 2 +
    Math.cos(from.latitude * radians) *
      Math.cos(to.latitude * radians) *
      Math.sin(deltaLongitude / 2) ** 2;
  // min(1, …): rounding can push it a hair above 1 for points on opposite sides of the earth.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, haversine)));
}
