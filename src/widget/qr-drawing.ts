import { toSvgPath } from 'lean-qr/extras/svg';
import { correction, generate } from 'lean-qr/nano';

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
  return { text, level, size: code.size, path: toSvgPath(code) };
}
