/** The square of a frame that the scanner reads: the part inside the frame drawn on screen. */
export interface ViewfinderRegion {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** How much of the frame's shorter side the viewfinder covers. */
export const VIEWFINDER_FRACTION = 0.7;

/**
 * The centred square the scanner reads. Reading only this part makes each frame about half as
 * costly, and a code at the frame's edge (another tab, a poster) is not picked up by accident.
 */
export function viewfinderRegion(
  width: number,
  height: number,
  fraction = VIEWFINDER_FRACTION,
): ViewfinderRegion {
  if (!(width > 0 && height > 0)) throw new TypeError('The frame must have a size.');
  if (!(fraction > 0 && fraction <= 1)) throw new TypeError('fraction must be in (0, 1].');
  const size = Math.max(1, Math.round(Math.min(width, height) * fraction));
  return {
    x: Math.floor((width - size) / 2),
    y: Math.floor((height - size) / 2),
    size,
  };
}
