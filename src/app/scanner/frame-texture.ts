import type { RgbaImage } from './qr-reader.js';

/** Samples along the shorter side of the coarse grid the check looks at (about 12,000 in all). */
const GRID = 96;

/** Tiles per side: a small code fills a tile of the grid, not the whole frame. */
const TILES = 6;

/**
 * A step in brightness between neighbouring samples that counts as an edge (of 255): the edge of
 * a module, even blurred or grey on grey, and seldom the sensor's noise in a dim room.
 */
const EDGE_STEP = 36;

/**
 * The share of neighbouring samples with an edge between them, in the busiest tile, from which a
 * frame may hold a code. A QR code has an edge every module or two in every direction; a wall, a
 * ceiling, a covered lens, a desk or a dark pocket have few. Tuned on bench:scan's photographs:
 * every viewfinder square that zxing-wasm reads is above it, and few without a code (1 of 60 while
 * tuning, none of the bench's own 60).
 */
export const MIN_EDGE_SHARE = 0.2;

/**
 * The share of edges between neighbouring samples of a coarse grid over the picture (0 to 1), in
 * the tile of the grid that has the most.
 */
export function busiestTileEdgeShare(image: RgbaImage): number {
  const { data, width, height } = image;
  const step = Math.max(1, Math.floor(Math.min(width, height) / GRID));
  const columns = Math.floor((width - 1) / step) + 1;
  const rows = Math.floor((height - 1) / step) + 1;
  const samples = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      samples[row * columns + column] = luma(data, (row * step * width + column * step) * 4);
    }
  }
  const tileColumns = Math.max(2, Math.floor(columns / TILES));
  const tileRows = Math.max(2, Math.floor(rows / TILES));
  let busiest = 0;
  for (let top = 0; top + 1 < rows; top += tileRows) {
    for (let left = 0; left + 1 < columns; left += tileColumns) {
      const bottom = Math.min(rows, top + tileRows);
      const right = Math.min(columns, left + tileColumns);
      let pairs = 0;
      let edges = 0;
      for (let row = top; row + 1 < bottom; row += 1) {
        for (let column = left; column + 1 < right; column += 1) {
          const here = samples[row * columns + column] ?? 0;
          const after = samples[row * columns + column + 1] ?? 0;
          const below = samples[(row + 1) * columns + column] ?? 0;
          pairs += 2;
          if (Math.abs(after - here) >= EDGE_STEP) edges += 1;
          if (Math.abs(below - here) >= EDGE_STEP) edges += 1;
        }
      }
      if (pairs > 0) busiest = Math.max(busiest, edges / pairs);
    }
  }
  return busiest;
}

/**
 * Whether a camera frame may hold a QR code, judged in well under a millisecond: one part of it
 * at least is busy with edges. Only the WebAssembly decoder asks, before it spends its time on a
 * frame the fast ones missed.
 */
export function mayHoldQrCode(image: RgbaImage): boolean {
  return busiestTileEdgeShare(image) >= MIN_EDGE_SHARE;
}

/** ITU-R BT.601 luma of the pixel at byte `p`, in integers, as zxing-decode.ts computes it. */
function luma(data: Uint8ClampedArray, p: number): number {
  return ((data[p] ?? 0) * 77 + (data[p + 1] ?? 0) * 150 + (data[p + 2] ?? 0) * 29) >> 8;
}
