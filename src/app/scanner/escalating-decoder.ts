import type { DecoderName, PixelSource } from './decode-messages.js';
import { QrDecoderError } from './decoder-error.js';
import type { LazyQrReader } from './lazy-qr-reader.js';
import type { DecodeImage, QrReader, RgbaImage } from './qr-reader.js';

/**
 * How many camera frames in a row the fast readers may miss before the heavy one looks too.
 * A code held still in good light is read in the first frame or two (bench:scan); three misses
 * in a row is a code the fast readers cannot read, or no code at all.
 */
export const MISSES_BEFORE_FALLBACK = 3;

export interface EscalationOptions {
  /** The readers that look at every frame, in order: the browser's own where it has one, then zxing-js. */
  readonly fast: readonly QrReader[];
  /**
   * The reader that looks when the fast ones keep missing, and first at every picture; none when
   * one reader is asked for alone (tests, the benchmark).
   */
  readonly fallback?: LazyQrReader;
  /** Frames missed in a row before the fallback reads frames too. */
  readonly missesBeforeFallback?: number;
  /** Whether a frame may hold a code at all; the fallback leaves the others (a blank wall) alone. */
  readonly mayHoldCode?: (image: RgbaImage) => boolean;
}

/** What reading one picture gave. */
export interface DecodeResult {
  readonly text: string | null;
  /** The reader that read the code, or null when none did. */
  readonly decoder: DecoderName | null;
  /** Every reader that looked, in order. */
  readonly tried: readonly DecoderName[];
}

/**
 * The app's decoding policy. Every camera frame goes to the fast readers (the browser's
 * BarcodeDetector where it has one, then zxing-js), each behind the one before: one's miss is the
 * next one's turn. After {@link MISSES_BEFORE_FALLBACK} frames in a row without a code, a frame
 * that may hold one goes to the fallback too (zxing-cpp in WebAssembly), which the first such
 * frame starts loading; frames do not wait for it. A picture the user picked is the only chance
 * there is: it goes to the fallback first (waiting for it to load), then to the fast readers.
 */
export class EscalatingDecoder {
  private missesInARow = 0;
  private readonly missesBeforeFallback: number;
  private readonly mayHoldCode: (image: RgbaImage) => boolean;

  constructor(private readonly options: EscalationOptions) {
    this.missesBeforeFallback = options.missesBeforeFallback ?? MISSES_BEFORE_FALLBACK;
    this.mayHoldCode = options.mayHoldCode ?? (() => true);
  }

  async decode(image: DecodeImage, source: PixelSource): Promise<DecodeResult> {
    return source === 'picture' ? this.decodePicture(image) : this.decodeFrame(image);
  }

  private async decodeFrame(image: DecodeImage): Promise<DecodeResult> {
    const fast = await readInTurn(this.options.fast, image);
    if (fast.text !== null) {
      this.missesInARow = 0;
      return fast;
    }
    this.missesInARow += 1;
    const { fallback } = this.options;
    if (
      fallback === undefined ||
      this.missesInARow < this.missesBeforeFallback ||
      !this.mayHoldCode(image.pixels())
    ) {
      return fast;
    }
    if (fallback.state !== 'ready') {
      fallback.startLoading();
      return fast;
    }
    const tried = [...fast.tried, fallback.name];
    let text: string | null;
    try {
      text = await fallback.read(image);
    } catch {
      // A frame the fallback failed on is a miss: the next frame comes soon.
      return { ...fast, tried };
    }
    if (text !== null) this.missesInARow = 0;
    return { text, decoder: text === null ? null : fallback.name, tried };
  }

  private async decodePicture(image: DecodeImage): Promise<DecodeResult> {
    const { fallback } = this.options;
    if (fallback === undefined) return readInTurn(this.options.fast, image);
    let fallbackLooked = false;
    try {
      const reader = await fallback.loaded();
      fallbackLooked = true;
      const text = await reader.read(image);
      if (text !== null) return { text, decoder: fallback.name, tried: [fallback.name] };
    } catch {
      // Offline before it was cached, forbidden here, or failed on this picture: the fast
      // readers still look.
    }
    const fast = await readInTurn(this.options.fast, image);
    return { ...fast, tried: fallbackLooked ? [fallback.name, ...fast.tried] : fast.tried };
  }
}

/**
 * The readers one after the other until one finds a code. A reader that throws counts as a miss
 * (the next one still looks); only when every one of them threw is that the answer.
 */
async function readInTurn(readers: readonly QrReader[], image: DecodeImage): Promise<DecodeResult> {
  const tried: DecoderName[] = [];
  const failures: unknown[] = [];
  for (const reader of readers) {
    tried.push(reader.name);
    try {
      const text = await reader.read(image);
      if (text !== null) return { text, decoder: reader.name, tried };
    } catch (error) {
      failures.push(error);
    }
  }
  if (readers.length > 0 && failures.length === readers.length) {
    const [first] = failures;
    // One reader that could not load says so (`unavailable`), as it is.
    if (readers.length === 1 && first instanceof QrDecoderError) throw first;
    throw new QrDecoderError('failed', 'Every decoder failed on this picture.', { cause: first });
  }
  return { text: null, decoder: null, tried };
}
