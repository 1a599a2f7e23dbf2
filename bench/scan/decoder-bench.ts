/*
 * The decoder half of `npm run bench:scan`, in Chromium: every frame kind through each decoder the
 * app can use, the way the app uses it (the viewfinder square cut out with createImageBitmap, read
 * in the worker). Also watches the page's thread: the longest stall of a 4 ms heartbeat while the
 * decoders run is how long decoding blocked the UI.
 */
import { encodeQrText } from '../../src/protocol/index.js';
import type { DecoderChoice } from '../../src/app/scanner/decode-messages.js';
import { QrDecoder } from '../../src/app/scanner/qr-decoder.js';
import { viewfinderRegion } from '../../src/app/scanner/viewfinder.js';
import {
  cameraFrame,
  FRAME_HEIGHT,
  FRAME_KINDS,
  FRAME_WIDTH,
  seededRandom,
  type FrameKind,
} from './camera-frames.js';

export interface KindResult {
  kind: FrameKind;
  frames: number;
  decoded: number;
  /** Time in the worker, per frame. */
  workerMs: number[];
  /** From cutting the bitmap out to the answer on the page, per frame. */
  roundTripMs: number[];
}

/** One way to read frames: a decoder, and the part of the frame it gets. */
export interface Variant {
  decoder: DecoderChoice;
  region: 'viewfinder' | 'whole frame';
}

export interface VariantResult extends Variant {
  kinds: KindResult[];
  /** The longest the page's thread was held while this decoder ran, ms. */
  longestStallMs: number;
  /** How many 4 ms heartbeats came more than 16 ms late. */
  stallsOver16Ms: number;
}

export interface BenchOutput {
  barcodeDetector: boolean;
  results: VariantResult[];
  /** The same heartbeat with nothing decoding: how late this machine is anyway. */
  idle: { longestStallMs: number; stallsOver16Ms: number; seconds: number };
}

/** The heartbeat alone for `seconds`: the page thread's lateness without any decoding. */
async function idleHeartbeat(seconds: number): Promise<BenchOutput['idle']> {
  let longestStallMs = 0;
  let stallsOver16Ms = 0;
  let last = performance.now();
  const heartbeat = setInterval(() => {
    const now = performance.now();
    const late = now - last - 4;
    longestStallMs = Math.max(longestStallMs, late);
    if (late > 16) stallsOver16Ms += 1;
    last = now;
  }, 4);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(heartbeat);
  return { longestStallMs, stallsOver16Ms, seconds };
}

function hex(random: () => number): string {
  return Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}

/** The frames of one kind, made before any timing starts (drawing them is the bench's own work). */
function framesOf(kind: FrameKind, count: number): { frame: OffscreenCanvas; text: string }[] {
  const random = seededRandom(kind.length * 7919);
  return Array.from({ length: count }, () => {
    const text = encodeQrText('https://scan.otp-login.example/', {
      kind: 'authentication',
      format: 'compact',
      transactionId: hex(random),
      otp: hex(random),
    });
    return { frame: cameraFrame(kind, text, random), text };
  });
}

async function runVariant(variant: Variant, framesPerKind: number): Promise<VariantResult> {
  const decoder = new QrDecoder(variant.decoder);
  const kinds: KindResult[] = [];
  let longestStallMs = 0;
  let stallsOver16Ms = 0;
  const region =
    variant.region === 'viewfinder'
      ? viewfinderRegion(FRAME_WIDTH, FRAME_HEIGHT)
      : { x: 0, y: 0, width: FRAME_WIDTH, height: FRAME_HEIGHT };
  const [width, height] =
    'size' in region ? [region.size, region.size] : [region.width, region.height];
  try {
    // Warm-up: the worker loads its script and compiles the decoder.
    const warm = framesOf('clean', 1)[0];
    if (warm !== undefined) await decoder.decode({ bitmap: await createImageBitmap(warm.frame) });
    for (const kind of FRAME_KINDS) {
      const frames = framesOf(kind, framesPerKind);
      const result: KindResult = { kind, frames: 0, decoded: 0, workerMs: [], roundTripMs: [] };
      let last = performance.now();
      const heartbeat = setInterval(() => {
        const now = performance.now();
        const late = now - last - 4;
        longestStallMs = Math.max(longestStallMs, late);
        if (late > 16) stallsOver16Ms += 1;
        last = now;
      }, 4);
      try {
        for (const { frame, text } of frames) {
          const started = performance.now();
          const bitmap = await createImageBitmap(frame, region.x, region.y, width, height);
          const outcome = await decoder.decode({ bitmap });
          result.roundTripMs.push(performance.now() - started);
          result.workerMs.push(outcome.ms);
          result.frames += 1;
          if (outcome.text === text) result.decoded += 1;
        }
      } finally {
        clearInterval(heartbeat);
      }
      kinds.push(result);
    }
  } finally {
    decoder.close();
  }
  return { ...variant, kinds, longestStallMs, stallsOver16Ms };
}

async function runBench(framesPerKind: number): Promise<BenchOutput> {
  const probe = new QrDecoder('auto');
  const { barcodeDetector } = await probe.getCapabilities();
  probe.close();
  const variants: Variant[] = [
    { decoder: 'zxing', region: 'viewfinder' },
    { decoder: 'zxing', region: 'whole frame' },
  ];
  if (barcodeDetector) variants.push({ decoder: 'barcode-detector', region: 'viewfinder' });
  const results: VariantResult[] = [];
  for (const variant of variants) results.push(await runVariant(variant, framesPerKind));
  return { barcodeDetector, results, idle: await idleHeartbeat(5) };
}

/** Draws one frame of each kind on the page, to look at them. */
function showFrames(): void {
  const random = seededRandom(3);
  for (const kind of FRAME_KINDS) {
    const frame = cameraFrame(kind, 'HTTPS://SCAN.OTP-LOGIN.EXAMPLE/#1234567890', random);
    const canvas = document.createElement('canvas');
    canvas.width = frame.width;
    canvas.height = frame.height;
    canvas.title = kind;
    canvas.getContext('2d')?.drawImage(frame, 0, 0);
    document.body.append(canvas);
  }
}

Object.assign(window, { runBench, showFrames });
