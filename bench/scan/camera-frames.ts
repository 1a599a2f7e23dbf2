/*
 * Generated 640×480 camera frames with a login QR in them, in the kinds of trouble a phone camera
 * meets: clean, blurred, rotated, in perspective, low contrast, moiré-like noise, small modules.
 */
import { generate } from 'lean-qr';

export { seededRandom } from '../../test/app/support/seeded-random.js';

export const FRAME_KINDS = [
  'clean',
  'blurred',
  'rotated',
  'perspective',
  'low-contrast',
  'moire-noise',
  'small-modules',
] as const;

export type FrameKind = (typeof FRAME_KINDS)[number];

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

/** The QR of `text` on paper (quiet zone of 4), `modulePixels` per module, as a canvas. */
function qrCanvas(text: string, modulePixels: number, dark: string, light: string) {
  const code = generate(text);
  const side = (code.size + 8) * modulePixels;
  const canvas = new OffscreenCanvas(side, side);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D context');
  context.fillStyle = light;
  context.fillRect(0, 0, side, side);
  context.fillStyle = dark;
  for (let y = 0; y < code.size; y += 1) {
    for (let x = 0; x < code.size; x += 1) {
      if (code.get(x, y)) {
        context.fillRect(
          (x + 4) * modulePixels,
          (y + 4) * modulePixels,
          modulePixels,
          modulePixels,
        );
      }
    }
  }
  return canvas;
}

/** One frame of `kind` showing `text`, somewhat off-centre (as a hand holds a phone). */
export function cameraFrame(kind: FrameKind, text: string, random: () => number): OffscreenCanvas {
  const frame = new OffscreenCanvas(FRAME_WIDTH, FRAME_HEIGHT);
  const context = frame.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2D context');
  // A desk under uneven light.
  const light = context.createLinearGradient(0, 0, FRAME_WIDTH, FRAME_HEIGHT);
  light.addColorStop(0, '#8a8a8a');
  light.addColorStop(1, '#5a5a5a');
  context.fillStyle = light;
  context.fillRect(0, 0, FRAME_WIDTH, FRAME_HEIGHT);

  const lowContrast = kind === 'low-contrast';
  const modulePixels = kind === 'small-modules' ? 2 : 5;
  const qr = qrCanvas(
    text,
    modulePixels,
    lowContrast ? '#707070' : '#141414',
    lowContrast ? '#a0a0a0' : '#f2f2f2',
  );
  const dx = (random() - 0.5) * 40;
  const dy = (random() - 0.5) * 40;
  context.save();
  context.translate(FRAME_WIDTH / 2 + dx, FRAME_HEIGHT / 2 + dy);
  if (kind === 'rotated') context.rotate(((15 + random() * 25) * Math.PI) / 180);
  if (kind === 'blurred') context.filter = `blur(${(1.5 + random()).toFixed(2)}px)`;
  if (kind === 'perspective') {
    drawInPerspective(context, qr, 0.62 + random() * 0.1);
  } else {
    context.drawImage(qr, -qr.width / 2, -qr.height / 2);
  }
  context.restore();
  if (kind === 'moire-noise') addMoireAndNoise(context, random);
  return frame;
}

/**
 * The code seen from below: its top edge `topScale` as wide as its bottom edge, and foreshortened.
 * Drawn row by row, each row scaled to its width (a projective warp in one direction).
 */
function drawInPerspective(
  context: OffscreenCanvasRenderingContext2D,
  qr: OffscreenCanvas,
  topScale: number,
) {
  const height = Math.round(qr.height * 0.85);
  for (let row = 0; row < height; row += 1) {
    const t = row / height;
    // Rows near the top are further away, so each covers more of the code: a projective map
    // from 0 to 1 whose slope at the top is 1 / topScale.
    const source = Math.min(qr.height - 1, Math.floor(qr.height * (t / (t + topScale * (1 - t)))));
    const scale = topScale + (1 - topScale) * t;
    const width = qr.width * scale;
    context.drawImage(qr, 0, source, qr.width, 1, -width / 2, row - height / 2, width, 1);
  }
}

/** A screen-photo moiré (two crossing sine gratings) and sensor noise. */
function addMoireAndNoise(context: OffscreenCanvasRenderingContext2D, random: () => number) {
  const image = context.getImageData(0, 0, FRAME_WIDTH, FRAME_HEIGHT);
  const { data } = image;
  const phase = random() * Math.PI * 2;
  for (let y = 0; y < FRAME_HEIGHT; y += 1) {
    for (let x = 0; x < FRAME_WIDTH; x += 1) {
      const wave = 22 * Math.sin(x * 0.83 + y * 0.31 + phase) * Math.sin(x * 0.07 - y * 0.61);
      const noise = (random() - 0.5) * 40;
      const p = (y * FRAME_WIDTH + x) * 4;
      for (let c = 0; c < 3; c += 1) data[p + c] = (data[p + c] ?? 0) + wave + noise;
    }
  }
  context.putImageData(image, 0, 0);
}
