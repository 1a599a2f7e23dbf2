import { correction, generate, type Bitmap2D } from 'lean-qr/nano';

/** QR error correction: L ~7 %, M ~15 %, Q ~25 %, H ~30 % of the code may be damaged. */
export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

/** A QR code as one SVG path in module units, drawn in a `size`-module square. */
export interface QrDrawing {
  readonly text: string;
  readonly level: ErrorCorrectionLevel;
  readonly size: number;
  readonly path: string;
}

/** The level for an attribute value; M (the usual default for screens) for anything else. */
export function errorCorrectionLevel(value: string | null | undefined): ErrorCorrectionLevel {
  const upper = (value ?? '').toUpperCase();
  return upper === 'L' || upper === 'Q' || upper === 'H' ? upper : 'M';
}

/** Encodes `text` (lean-qr's small "nano" encoder); throws when it does not fit a QR code. */
export function drawQr(text: string, level: ErrorCorrectionLevel): QrDrawing {
  const code = generate(text, { minCorrectionLevel: correction[level] });
  return { text, level, size: code.size, path: svgPath(code) };
}

/**
 * The dark modules as one path: a 1-module-high rectangle for each run of dark modules in a row.
 * (lean-qr's own toSvgPath traces outlines, a shorter path but more code in the bundle.)
 */
function svgPath(code: Bitmap2D): string {
  let path = '';
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      let run = 0;
      // get() is false past the right edge, so a run ends there at the latest.
      while (code.get(x + run, y)) run++;
      if (run > 0) path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return path;
}
