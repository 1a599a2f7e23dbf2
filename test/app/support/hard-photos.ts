/*
 * Hard photographs of login QR codes, drawn pixel by pixel from lean-qr's module matrix, the same
 * in every engine and in Node (no canvas filters, no JPEG encoder): a camera looks at a piece of
 * paper or a screen in 3D (a pinhole projection, the lens's barrel distortion), under uneven
 * light, and its sensor adds blur and noise. Six kinds of trouble:
 * - perspective: the code seen at 40–65° from its face;
 * - glare: a bright reflection washing out part of the code;
 * - moire: a code on a screen, photographed: the screen's pixel grid and RGB stripes beat with
 *   the camera's pixels;
 * - blur: out of focus, or moved while taken;
 * - small: 1.3–2 pixels a module (a code across the room);
 * - printed: printed (ink spread, grey toner, speckles, paper) and re-photographed (tilt, lens,
 *   uneven light, blur, noise).
 * Each photo is 640×480 (a camera frame) with the code near the middle, within the viewfinder.
 */
import { generate } from 'lean-qr';

export const HARD_KINDS = ['perspective', 'glare', 'moire', 'blur', 'small', 'printed'] as const;

export type HardKind = (typeof HARD_KINDS)[number];

export const PHOTO_WIDTH = 640;
export const PHOTO_HEIGHT = 480;

/** RGBA pixels, as ImageData has them. */
export interface Photo {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** How the scene is drawn: every choice a kind makes, drawn from its random source. */
interface Scene {
  /** Pixels per module when the code faces the camera. */
  modulePixels: number;
  /** Turns about the camera's axis, the code's vertical and horizontal axes (radians). */
  roll: number;
  yaw: number;
  pitch: number;
  /** Where the code's centre lands, off the frame's centre (pixels). */
  offsetX: number;
  offsetY: number;
  /** Barrel distortion of the lens (0: none). */
  barrel: number;
  /** Reflectances (0–1) of the ink and the paper, or the screen's dark and lit levels. */
  ink: number;
  paper: number;
  /** Ink spread of a print, in modules (0: none). */
  dotGain: number;
  /** Toner speckles and paper grain (0: none). */
  grain: number;
  /** A screen: screen pixels per module (0: paper). */
  screenPixelsPerModule: number;
  /** Light: brightness at the left and right edges, and the vignette's darkening at the corners. */
  lightLeft: number;
  lightRight: number;
  vignette: number;
  /** A reflection: its centre (relative to the code's, in code widths), size and strength. */
  glare: { x: number; y: number; radius: number; strength: number } | undefined;
  /** Gaussian blur (pixels, sigma) and motion blur (pixels, horizontal). */
  blur: number;
  motion: number;
  /** Sensor noise (sigma, of 255). */
  noise: number;
}

/** A photograph of `text`'s QR code with the trouble of `kind`. */
export function hardPhoto(kind: HardKind, text: string, random: () => number): Photo {
  return drawScene(generate(text), sceneOf(kind, random), random);
}

/**
 * The same desk with no code on it, under the same kinds of light, blur and noise (more noise:
 * a dim room): what the camera sees before the code is in front of it.
 */
export function photoWithoutCode(random: () => number): Photo {
  const kind = HARD_KINDS[Math.floor(random() * HARD_KINDS.length)] ?? 'blur';
  const scene = sceneOf(kind, random);
  scene.noise = between(random, 4, 14);
  return drawScene(undefined, scene, random);
}

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();
const degrees = (value: number) => (value * Math.PI) / 180;
const signed = (random: () => number) => (random() < 0.5 ? -1 : 1);

function sceneOf(kind: HardKind, random: () => number): Scene {
  const scene: Scene = {
    modulePixels: between(random, 4.5, 6),
    roll: degrees(between(random, -30, 30)),
    yaw: degrees(between(random, -12, 12)),
    pitch: degrees(between(random, -12, 12)),
    offsetX: between(random, -30, 30),
    offsetY: between(random, -25, 25),
    barrel: 0,
    ink: 0.08,
    paper: 0.9,
    dotGain: 0,
    grain: 0,
    screenPixelsPerModule: 0,
    lightLeft: between(random, 0.8, 1),
    lightRight: between(random, 0.8, 1),
    vignette: 0.15,
    glare: undefined,
    blur: 0.6,
    motion: 0,
    noise: 4,
  };
  switch (kind) {
    case 'perspective':
      scene.modulePixels = between(random, 5, 6.5);
      scene.pitch = signed(random) * degrees(between(random, 40, 65));
      scene.yaw = degrees(between(random, -30, 30));
      break;
    case 'glare':
      scene.glare = {
        x: between(random, -0.3, 0.3),
        y: between(random, -0.3, 0.3),
        radius: between(random, 0.12, 0.3),
        strength: between(random, 0.7, 1.6),
      };
      scene.lightLeft = between(random, 0.55, 0.9);
      scene.lightRight = between(random, 0.55, 0.9);
      scene.blur = 0.8;
      break;
    case 'moire':
      scene.screenPixelsPerModule = between(random, 2.2, 4.2);
      scene.ink = 0.05;
      scene.paper = 0.85;
      scene.modulePixels = between(random, 4.5, 6.5);
      scene.blur = between(random, 0.5, 0.9);
      scene.noise = 6;
      break;
    case 'blur':
      if (random() < 0.5) scene.blur = between(random, 1.8, 3.2);
      else {
        scene.blur = 0.6;
        scene.motion = between(random, 6, 13);
      }
      scene.noise = 5;
      break;
    case 'small':
      scene.modulePixels = between(random, 1.3, 2);
      scene.blur = 0.5;
      scene.noise = 5;
      break;
    case 'printed':
      scene.dotGain = between(random, 0.08, 0.28);
      scene.ink = between(random, 0.15, 0.3);
      scene.paper = between(random, 0.7, 0.88);
      scene.grain = between(random, 0.05, 0.12);
      scene.pitch = degrees(between(random, -35, 35));
      scene.yaw = degrees(between(random, -20, 20));
      scene.barrel = between(random, 0.08, 0.2);
      scene.lightLeft = between(random, 0.45, 1);
      scene.lightRight = between(random, 0.45, 1);
      scene.vignette = 0.35;
      scene.blur = between(random, 1, 1.8);
      scene.noise = between(random, 6, 10);
      break;
  }
  return scene;
}

interface QrMatrix {
  readonly size: number;
  get(x: number, y: number): boolean;
}

/** Modules of quiet zone around the code. */
const QUIET = 4;

function drawScene(code: QrMatrix | undefined, scene: Scene, random: () => number): Photo {
  const width = PHOTO_WIDTH;
  const height = PHOTO_HEIGHT;
  const side = (code?.size ?? 0) + 2 * QUIET;
  const toPaper = projection(scene, side);
  const reflect = code === undefined ? undefined : paperSampler(code, scene);
  const clutter = deskClutter(random);
  // Three channels of light, 0–255, before blur and noise.
  const red = new Float32Array(width * height);
  const green = new Float32Array(width * height);
  const blue = new Float32Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  const half = Math.hypot(cx, cy);
  // Each pixel averages 2×2 samples: the sensor's own smoothing, and the screen grid's aliasing.
  const offsets = [0.25, 0.75];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const oy of offsets) {
        for (const ox of offsets) {
          const px = x + ox;
          const py = y + oy;
          // The lens: a point at radius ρ is seen at ρ(1 + k ρ²); undo it to find the scene's point.
          const dx = (px - cx) / half;
          const dy = (py - cy) / half;
          const stretch = 1 + scene.barrel * (dx * dx + dy * dy);
          const sx = cx + (px - cx) * stretch;
          const sy = cy + (py - cy) * stretch;
          const paper = toPaper(sx, sy);
          let sample: readonly [number, number, number];
          if (
            reflect !== undefined &&
            paper !== undefined &&
            paper.u >= 0 &&
            paper.v >= 0 &&
            paper.u < side &&
            paper.v < side
          ) {
            sample = reflect(paper.u, paper.v);
          } else {
            const grey = clutter(sx, sy);
            sample = [grey, grey * 0.97, grey * 0.92];
          }
          r += sample[0];
          g += sample[1];
          b += sample[2];
        }
      }
      const t = x / width;
      const edge = Math.hypot(x - cx, y - cy) / half;
      const light =
        (scene.lightLeft + (scene.lightRight - scene.lightLeft) * t) *
        (1 - scene.vignette * edge * edge);
      const i = y * width + x;
      // A screen shines by itself; paper and desk reflect the room's light.
      const lit = scene.screenPixelsPerModule > 0 ? 0.5 + 0.5 * light : light;
      red[i] = (r / 4) * 255 * lit;
      green[i] = (g / 4) * 255 * lit;
      blue[i] = (b / 4) * 255 * lit;
    }
  }
  if (scene.glare !== undefined && code !== undefined)
    addGlare([red, green, blue], scene, side, toCamera(scene, side));
  for (const channel of [red, green, blue]) {
    if (scene.blur > 0) gaussianBlur(channel, width, height, scene.blur);
    if (scene.motion > 0) motionBlur(channel, width, height, Math.round(scene.motion));
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, p = 0; i < red.length; i += 1, p += 4) {
    // Sensor noise: mostly in brightness, a little in colour.
    const common = gaussian(random) * scene.noise;
    data[p] = (red[i] ?? 0) + common + gaussian(random) * scene.noise * 0.3;
    data[p + 1] = (green[i] ?? 0) + common + gaussian(random) * scene.noise * 0.3;
    data[p + 2] = (blue[i] ?? 0) + common + gaussian(random) * scene.noise * 0.3;
    data[p + 3] = 255;
  }
  return { data, width, height };
}

/** About normal (mean 0, sigma 1): the sum of three uniforms, scaled. */
function gaussian(random: () => number): number {
  return (random() + random() + random() - 1.5) * 2;
}

/**
 * The code's four corners in the picture: a square of `side` modules turned in 3D (pitch, yaw,
 * roll) at a distance where it is `modulePixels` a module face on, through a pinhole.
 */
function corners(scene: Scene, side: number): [number, number][] {
  const size = side * scene.modulePixels;
  const focal = 450;
  const distance = focal;
  const [cp, sp] = [Math.cos(scene.pitch), Math.sin(scene.pitch)];
  const [cyw, syw] = [Math.cos(scene.yaw), Math.sin(scene.yaw)];
  const [cr, sr] = [Math.cos(scene.roll), Math.sin(scene.roll)];
  const square: [number, number][] = [
    [-size / 2, -size / 2],
    [size / 2, -size / 2],
    [size / 2, size / 2],
    [-size / 2, size / 2],
  ];
  return square.map(([x0, y0]) => {
    // Roll in the code's plane, then pitch (about x), then yaw (about y).
    const x1 = x0 * cr - y0 * sr;
    const y1 = x0 * sr + y0 * cr;
    const y2 = y1 * cp;
    const z2 = y1 * sp;
    const x3 = x1 * cyw + z2 * syw;
    const z3 = -x1 * syw + z2 * cyw;
    const depth = distance + z3;
    return [
      PHOTO_WIDTH / 2 + scene.offsetX + (focal * x3) / depth,
      PHOTO_HEIGHT / 2 + scene.offsetY + (focal * y2) / depth,
    ];
  });
}

type Matrix3 = [number, number, number, number, number, number, number, number, number];

/** The homography that takes the unit square's corners (0,0) (1,0) (1,1) (0,1) to `quad`. */
function squareToQuad(quad: [number, number][]): Matrix3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad as [
    [number, number],
    [number, number],
    [number, number],
    [number, number],
  ];
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const denominator = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / denominator;
  const h = (dx1 * sy - sx * dy1) / denominator;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert(m: Matrix3): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const determinant = a * A + b * B + c * C;
  return [
    A / determinant,
    -(b * i - c * h) / determinant,
    (b * f - c * e) / determinant,
    B / determinant,
    (a * i - c * g) / determinant,
    -(a * f - c * d) / determinant,
    C / determinant,
    -(a * h - b * g) / determinant,
    (a * e - b * d) / determinant,
  ];
}

/** From a point of the picture to the paper's coordinates in modules (undefined: behind). */
function projection(
  scene: Scene,
  side: number,
): (x: number, y: number) => { u: number; v: number } | undefined {
  const [a, b, c, d, e, f, g, h, i] = invert(squareToQuad(corners(scene, side)));
  return (x, y) => {
    const w = g * x + h * y + i;
    if (w <= 0) return undefined;
    return { u: ((a * x + b * y + c) / w) * side, v: ((d * x + e * y + f) / w) * side };
  };
}

/** From the paper's coordinates in modules to the picture's. */
function toCamera(scene: Scene, side: number): (u: number, v: number) => [number, number] {
  const [a, b, c, d, e, f, g, h, i] = squareToQuad(corners(scene, side));
  return (u, v) => {
    const s = u / side;
    const t = v / side;
    const w = g * s + h * t + i;
    return [(a * s + b * t + c) / w, (d * s + e * t + f) / w];
  };
}

/** A value in [0, 1) that depends only on the integers given (paper grain, speckles). */
function hash(x: number, y: number): number {
  let n = Math.imul(x, 374761393) + Math.imul(y, 668265263);
  n = Math.imul(n ^ (n >>> 13), 1274126177);
  return ((n ^ (n >>> 16)) >>> 0) / 4294967296;
}

/** What the paper (or screen) shows at (u, v) modules, as RGB reflectance 0–1. */
function paperSampler(
  code: QrMatrix,
  scene: Scene,
): (u: number, v: number) => readonly [number, number, number] {
  const dark = (u: number, v: number) => {
    const x = Math.floor(u) - QUIET;
    const y = Math.floor(v) - QUIET;
    return x >= 0 && y >= 0 && x < code.size && y < code.size && code.get(x, y);
  };
  const gain = scene.dotGain;
  return (u, v) => {
    // Ink spreads: a point is dark when a dark module lies within `gain` of it.
    const inked =
      dark(u, v) ||
      (gain > 0 &&
        (dark(u - gain, v) || dark(u + gain, v) || dark(u, v - gain) || dark(u, v + gain)));
    let level = inked ? scene.ink : scene.paper;
    if (scene.grain > 0) {
      const grain = hash(Math.floor(u * 6), Math.floor(v * 6)) - 0.5;
      const speckle = hash(Math.floor(u * 11) + 7, Math.floor(v * 11)) < 0.015;
      level += grain * scene.grain;
      if (speckle) level = inked ? scene.paper * 0.8 : scene.ink * 1.5;
    }
    if (scene.screenPixelsPerModule > 0) {
      // The screen's pixels: red, green and blue stripes with a dark gap around each pixel.
      const px = u * scene.screenPixelsPerModule;
      const py = v * scene.screenPixelsPerModule;
      const fx = px - Math.floor(px);
      const fy = py - Math.floor(py);
      if (fy > 0.78) return [level * 0.1, level * 0.1, level * 0.1];
      const stripe = Math.floor(fx * 3);
      const lit = (channel: number) => (stripe === channel ? level * 2.4 : level * 0.15);
      return [Math.min(1.3, lit(0)), Math.min(1.3, lit(1)), Math.min(1.3, lit(2))];
    }
    return [level, level * 0.98, level * 0.94];
  };
}

/** A desk with a few objects on it: grey rectangles, the same for every pixel's call. */
function deskClutter(random: () => number): (x: number, y: number) => number {
  const base = between(random, 0.35, 0.6);
  const boxes = Array.from({ length: 6 }, () => ({
    x: between(random, -100, PHOTO_WIDTH),
    y: between(random, -100, PHOTO_HEIGHT),
    w: between(random, 40, 220),
    h: between(random, 30, 180),
    level: between(random, 0.1, 0.95),
  }));
  return (x, y) => {
    for (const box of boxes) {
      if (x >= box.x && y >= box.y && x < box.x + box.w && y < box.y + box.h) return box.level;
    }
    return base + 0.08 * Math.sin(x * 0.05) * Math.sin(y * 0.04);
  };
}

/** A reflection on the code: light added round a point, strongest at its centre. */
function addGlare(
  channels: Float32Array[],
  scene: Scene,
  side: number,
  camera: (u: number, v: number) => [number, number],
): void {
  const glare = scene.glare;
  if (glare === undefined) return;
  const [gx, gy] = camera(side * (0.5 + glare.x), side * (0.5 + glare.y));
  const radius = glare.radius * side * scene.modulePixels;
  for (const channel of channels) {
    for (let y = 0; y < PHOTO_HEIGHT; y += 1) {
      for (let x = 0; x < PHOTO_WIDTH; x += 1) {
        const distance = Math.hypot(x - gx, y - gy) / radius;
        const i = y * PHOTO_WIDTH + x;
        channel[i] = (channel[i] ?? 0) + 255 * glare.strength * Math.exp(-distance * distance);
      }
    }
  }
}

function gaussianBlur(channel: Float32Array, width: number, height: number, sigma: number) {
  const radius = Math.ceil(sigma * 3);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = kernel.reduce((sum, weight) => sum + weight, 0);
  const weights = kernel.map((weight) => weight / total);
  convolve(channel, width, height, weights, true);
  convolve(channel, width, height, weights, false);
}

function motionBlur(channel: Float32Array, width: number, height: number, length: number) {
  convolve(channel, width, height, new Array<number>(length).fill(1 / length), true);
}

/** A one-dimensional convolution along rows (`alongRows`) or columns, edges clamped. */
function convolve(
  channel: Float32Array,
  width: number,
  height: number,
  weights: readonly number[],
  alongRows: boolean,
): void {
  const radius = Math.floor(weights.length / 2);
  const lines = alongRows ? height : width;
  const length = alongRows ? width : height;
  const line = new Float32Array(length);
  for (let l = 0; l < lines; l += 1) {
    const at = (k: number) => (alongRows ? l * width + k : k * width + l);
    for (let k = 0; k < length; k += 1) line[k] = channel[at(k)] ?? 0;
    for (let k = 0; k < length; k += 1) {
      let sum = 0;
      for (let w = 0; w < weights.length; w += 1) {
        const source = Math.min(length - 1, Math.max(0, k + w - radius));
        sum += (weights[w] ?? 0) * (line[source] ?? 0);
      }
      channel[at(k)] = sum;
    }
  }
}
