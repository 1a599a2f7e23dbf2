import type { DecoderProblem } from './decoder-error.js';

/** The decoders the worker has: the browser's own, zxing in JavaScript, zxing-cpp in WebAssembly. */
export type DecoderName = 'barcode-detector' | 'zxing-js' | 'zxing-wasm';

/**
 * Which decoder the worker uses: all of them, fast first and the heavy one when those keep
 * missing (`auto`, what the app does), or one alone by name (tests and the benchmark).
 */
export type DecoderChoice = 'auto' | DecoderName;

/**
 * Where the pixels come from: a camera frame, one of many (the next may be better), or a picture
 * the user picked or pasted (the only chance there is).
 */
export type PixelSource = 'frame' | 'picture';

/** Pixels for the worker: a bitmap it draws itself, or RGBA pixels the page already read. */
export type FramePixels =
  | { readonly bitmap: ImageBitmap }
  | { readonly rgba: Uint8ClampedArray; readonly width: number; readonly height: number };

export type DecodeRequest = {
  readonly id: number;
  readonly decoder: DecoderChoice;
  readonly source: PixelSource;
} & FramePixels;

export type DecodeResponse =
  | {
      readonly id: number;
      readonly text: string | null;
      /** The decoder that read the code, or null when none did. */
      readonly decoder: DecoderName | null;
      /** Every decoder that looked at these pixels, in order. */
      readonly tried: readonly DecoderName[];
      /** Time spent decoding in the worker, ms. */
      readonly ms: number;
    }
  | { readonly id: number; readonly error: string; readonly code: DecoderProblem };

/** The worker's answer when asked which decoders it has. */
export interface DecoderCapabilities {
  readonly barcodeDetector: boolean;
  /** Where the WebAssembly decoder's .wasm file is fetched from (our own origin), when it is needed. */
  readonly fallbackWasmUrl: string;
}
