/*
 * The decoder half of `npm run bench:scan`, in Chromium, every decoder the way the app runs it
 * (in the decoding worker):
 * 1. the camera frames of seven kinds (camera-frames.ts): the viewfinder square cut out with
 *    createImageBitmap, read by each decoder alone and by the app's escalating policy (`auto`);
 * 2. the hard photographs (test/app/support/hard-photos.ts): each read whole, as a picked
 *    picture, by each decoder alone and by the app's picture path (zxing-cpp, then the fast
 *    ones); and held in front of the camera: its viewfinder square frame after frame through
 *    `auto`, until read or for a number of frames;
 * 3. frames without a code through `auto`: how often the WebAssembly decoder looks at nothing;
 * 4. the WebAssembly decoder's first load (fetch and compile) in a new worker.
 * Also watches the page's thread: the longest stall of a 4 ms heartbeat while the decoders run.
 */
import type { DecoderChoice, DecoderName } from '../../src/app/scanner/decode-messages.js';
import { QrDecoder, type DecodeOutcome } from '../../src/app/scanner/qr-decoder.js';
import { viewfinderRegion } from '../../src/app/scanner/viewfinder.js';
import {
  HARD_KINDS,
  hardPhoto,
  photoWithoutCode,
  type HardKind,
  type Photo,
} from '../../test/app/support/hard-photos.js';
import { loginCodeText } from '../../test/app/support/login-code-text.js';
import {
  cameraFrame,
  FRAME_HEIGHT,
  FRAME_KINDS,
  FRAME_WIDTH,
  seededRandom,
  type FrameKind,
} from './camera-frames.js';

export interface KindResult {
  kind: FrameKind | HardKind;
  frames: number;
  decoded: number;
  /** Time in the worker, per frame. */
  workerMs: number[];
  /** Time in the worker, per frame whose code was read. */
  foundMs: number[];
  /** From cutting the bitmap out to the answer on the page, per frame. */
  roundTripMs: number[];
  /** How many frames each decoder read (the escalating policy's split). */
  readBy: Partial<Record<DecoderName, number>>;
}

/** One way to read: a decoder, and the part of the picture it gets. */
export interface Variant {
  decoder: DecoderChoice;
  region: 'viewfinder' | 'whole frame' | 'whole photo';
}

export interface VariantResult extends Variant {
  kinds: KindResult[];
  /** The longest the page's thread was held while this decoder ran, ms. */
  longestStallMs: number;
  /** How many 4 ms heartbeats came more than 16 ms late. */
  stallsOver16Ms: number;
}

export interface HeldResult {
  kind: HardKind;
  photos: number;
  /** Photos read within the frames they were held for. */
  read: number;
  /** Frames it took, for each photo read. */
  framesToRead: number[];
  readBy: Partial<Record<DecoderName, number>>;
}

export interface BenchOutput {
  barcodeDetector: boolean;
  fallbackWasmUrl: string;
  frames: VariantResult[];
  pictures: VariantResult[];
  held: HeldResult[];
  withoutCode: { frames: number; fallbackLooks: number; workerMs: number[] };
  /** The WebAssembly decoder's first frame in a new worker (fetch, compile, read), and its second. */
  fallbackLoad: { firstMs: number; secondMs: number };
  /** The same heartbeat with nothing decoding: how late this machine is anyway. */
  idle: { longestStallMs: number; stallsOver16Ms: number; seconds: number };
}

/** A heartbeat every 4 ms: how late it comes is how long the page's thread was held. */
function watchPageThread() {
  const watch = { longestStallMs: 0, stallsOver16Ms: 0 };
  let last = performance.now();
  const heartbeat = setInterval(() => {
    const now = performance.now();
    const late = now - last - 4;
    watch.longestStallMs = Math.max(watch.longestStallMs, late);
    if (late > 16) watch.stallsOver16Ms += 1;
    last = now;
  }, 4);
  return {
    watch,
    stop: () => {
      clearInterval(heartbeat);
    },
  };
}

async function idleHeartbeat(seconds: number): Promise<BenchOutput['idle']> {
  const { watch, stop } = watchPageThread();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stop();
  return { ...watch, seconds };
}

interface Sample {
  picture: OffscreenCanvas | ImageBitmap;
  text: string;
}

/** The camera frames of one kind, made before any timing starts (drawing them is the bench's). */
function framesOf(kind: FrameKind, count: number): Sample[] {
  const random = seededRandom(kind.length * 7919);
  return Array.from({ length: count }, () => {
    const text = loginCodeText(random);
    return { picture: cameraFrame(kind, text, random), text };
  });
}

function photoBitmap(photo: Photo): Promise<ImageBitmap> {
  return createImageBitmap(
    new ImageData(new Uint8ClampedArray(photo.data), photo.width, photo.height),
  );
}

/** The hard photographs of one kind, as bitmaps. */
async function photosOf(kind: HardKind, count: number): Promise<Sample[]> {
  const random = seededRandom(1000 + kind.length * 7919 + kind.charCodeAt(0));
  const samples: Sample[] = [];
  for (let n = 0; n < count; n += 1) {
    const text = loginCodeText(random);
    samples.push({ picture: await photoBitmap(hardPhoto(kind, text, random)), text });
  }
  return samples;
}

function emptyKind(kind: FrameKind | HardKind): KindResult {
  return { kind, frames: 0, decoded: 0, workerMs: [], foundMs: [], roundTripMs: [], readBy: {} };
}

function count(readBy: Partial<Record<DecoderName, number>>, name: DecoderName | null) {
  if (name !== null) readBy[name] = (readBy[name] ?? 0) + 1;
}

const VIEWFINDER = viewfinderRegion(FRAME_WIDTH, FRAME_HEIGHT);

/** Cuts the variant's region out of the picture, as the app's scan loop or picture path does. */
function cut(picture: OffscreenCanvas | ImageBitmap, region: Variant['region']) {
  return region === 'viewfinder'
    ? createImageBitmap(picture, VIEWFINDER.x, VIEWFINDER.y, VIEWFINDER.size, VIEWFINDER.size)
    : createImageBitmap(picture);
}

async function runVariant(
  variant: Variant,
  kinds: readonly { kind: FrameKind | HardKind; samples: Sample[] }[],
  source: 'frame' | 'picture',
): Promise<VariantResult> {
  const decoder = new QrDecoder(variant.decoder);
  const results: KindResult[] = [];
  const { watch, stop } = watchPageThread();
  try {
    // Warm-up: the worker loads its script (and the WebAssembly decoder, where it is used).
    const warm = kinds[0]?.samples[0];
    if (warm !== undefined)
      await decoder.decode({ bitmap: await cut(warm.picture, variant.region) }, 'picture');
    for (const { kind, samples } of kinds) {
      const result = emptyKind(kind);
      for (const { picture, text } of samples) {
        const started = performance.now();
        const bitmap = await cut(picture, variant.region);
        const outcome = await decoder.decode({ bitmap }, source);
        result.roundTripMs.push(performance.now() - started);
        result.workerMs.push(outcome.ms);
        result.frames += 1;
        if (outcome.text === text) {
          result.decoded += 1;
          result.foundMs.push(outcome.ms);
          count(result.readBy, outcome.decoder);
        }
      }
      results.push(result);
    }
  } finally {
    stop();
    decoder.close();
  }
  return { ...variant, kinds: results, ...watch };
}

/**
 * Each photograph held in front of the camera: its viewfinder square, frame after frame, through
 * the app's policy. A clean code read in between starts each photo with no misses counted.
 */
async function runHeld(kinds: readonly { kind: HardKind; samples: Sample[] }[], hold: number) {
  const decoder = new QrDecoder('auto');
  const [clean] = framesOf('clean', 1);
  const results: HeldResult[] = [];
  try {
    for (const { kind, samples } of kinds) {
      const result: HeldResult = { kind, photos: 0, read: 0, framesToRead: [], readBy: {} };
      for (const { picture, text } of samples) {
        if (clean !== undefined) {
          await decoder.decode({ bitmap: await cut(clean.picture, 'viewfinder') });
        }
        result.photos += 1;
        for (let frame = 1; frame <= hold; frame += 1) {
          const outcome: DecodeOutcome = await decoder.decode({
            bitmap: await cut(picture, 'viewfinder'),
          });
          if (outcome.text === text) {
            result.read += 1;
            result.framesToRead.push(frame);
            count(result.readBy, outcome.decoder);
            break;
          }
        }
      }
      results.push(result);
    }
  } finally {
    decoder.close();
  }
  return results;
}

/** Frames without a code through the app's policy, after a code was read. */
async function runWithoutCode(frames: number): Promise<BenchOutput['withoutCode']> {
  const decoder = new QrDecoder('auto');
  const random = seededRandom(4242);
  const result = { frames: 0, fallbackLooks: 0, workerMs: [] as number[] };
  try {
    // The fallback is loaded (as after a hard code), so that it could look at every frame.
    await decoder.decode({ rgba: new Uint8ClampedArray(4), width: 1, height: 1 }, 'picture');
    for (let n = 0; n < frames; n += 1) {
      const photo = await photoBitmap(photoWithoutCode(random));
      const outcome = await decoder.decode({ bitmap: await cut(photo, 'viewfinder') });
      result.frames += 1;
      result.workerMs.push(outcome.ms);
      if (outcome.tried.includes('zxing-wasm')) result.fallbackLooks += 1;
    }
  } finally {
    decoder.close();
  }
  return result;
}

async function timeFallbackLoad(): Promise<BenchOutput['fallbackLoad']> {
  const decoder = new QrDecoder('zxing-wasm');
  try {
    const pixels = () => ({
      rgba: new Uint8ClampedArray(64 * 64 * 4).fill(255),
      width: 64,
      height: 64,
    });
    let started = performance.now();
    await decoder.decode(pixels(), 'picture');
    const firstMs = performance.now() - started;
    started = performance.now();
    await decoder.decode(pixels(), 'picture');
    return { firstMs, secondMs: performance.now() - started };
  } finally {
    decoder.close();
  }
}

async function runBench(
  framesPerKind: number,
  photosPerKind: number,
  holdFrames: number,
): Promise<BenchOutput> {
  const probe = new QrDecoder('auto');
  const { barcodeDetector, fallbackWasmUrl } = await probe.getCapabilities();
  probe.close();
  // The first load first, on a cold worker (the browser's HTTP cache may hold the file already).
  const fallbackLoad = await timeFallbackLoad();

  const frameKinds = FRAME_KINDS.map((kind) => ({ kind, samples: framesOf(kind, framesPerKind) }));
  const frameVariants: Variant[] = [
    { decoder: 'auto', region: 'viewfinder' },
    { decoder: 'zxing-js', region: 'viewfinder' },
    { decoder: 'zxing-wasm', region: 'viewfinder' },
    { decoder: 'zxing-js', region: 'whole frame' },
  ];
  if (barcodeDetector) frameVariants.push({ decoder: 'barcode-detector', region: 'viewfinder' });
  const frames: VariantResult[] = [];
  for (const variant of frameVariants) frames.push(await runVariant(variant, frameKinds, 'frame'));

  const hardKinds: { kind: HardKind; samples: Sample[] }[] = [];
  for (const kind of HARD_KINDS)
    hardKinds.push({ kind, samples: await photosOf(kind, photosPerKind) });
  const pictureVariants: Variant[] = [
    { decoder: 'zxing-js', region: 'whole photo' },
    { decoder: 'zxing-wasm', region: 'whole photo' },
    { decoder: 'auto', region: 'whole photo' },
  ];
  if (barcodeDetector) pictureVariants.push({ decoder: 'barcode-detector', region: 'whole photo' });
  const pictures: VariantResult[] = [];
  for (const variant of pictureVariants) {
    pictures.push(await runVariant(variant, hardKinds, 'picture'));
  }
  const held = await runHeld(hardKinds, holdFrames);
  const withoutCode = await runWithoutCode(photosPerKind * 3);
  return {
    barcodeDetector,
    fallbackWasmUrl,
    frames,
    pictures,
    held,
    withoutCode,
    fallbackLoad,
    idle: await idleHeartbeat(5),
  };
}

/** Draws one frame of each kind and one photograph of each hard kind on the page, to look at. */
async function showFrames(): Promise<void> {
  const random = seededRandom(3);
  const show = (picture: OffscreenCanvas | ImageBitmap, title: string) => {
    const canvas = document.createElement('canvas');
    canvas.width = picture.width;
    canvas.height = picture.height;
    canvas.title = title;
    canvas.getContext('2d')?.drawImage(picture, 0, 0);
    document.body.append(canvas);
  };
  for (const kind of FRAME_KINDS) show(cameraFrame(kind, loginCodeText(random), random), kind);
  for (const kind of HARD_KINDS) {
    show(await photoBitmap(hardPhoto(kind, loginCodeText(random), random)), kind);
  }
}

Object.assign(window, { runBench, showFrames });
