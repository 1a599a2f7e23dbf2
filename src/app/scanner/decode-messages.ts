/** Which decoder the worker uses: the browser's own where it has one (`auto`), or one by name. */
export type DecoderChoice = 'auto' | 'zxing' | 'barcode-detector';

/** The decoder that actually read a frame. */
export type DecoderName = 'zxing' | 'barcode-detector';

/** Pixels for the worker: a bitmap it draws itself, or RGBA pixels the page already read. */
export type FramePixels =
  | { readonly bitmap: ImageBitmap }
  | { readonly rgba: Uint8ClampedArray; readonly width: number; readonly height: number };

export type DecodeRequest = { readonly id: number; readonly decoder: DecoderChoice } & FramePixels;

export type DecodeResponse =
  | {
      readonly id: number;
      readonly text: string | null;
      readonly decoder: DecoderName;
      /** Time spent decoding in the worker, ms. */
      readonly ms: number;
    }
  | { readonly id: number; readonly error: string };

/** The worker's answer when asked which decoders it has. */
export interface DecoderCapabilities {
  readonly barcodeDetector: boolean;
}
