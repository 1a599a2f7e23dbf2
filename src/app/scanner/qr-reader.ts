import type { DecoderName } from './decode-messages.js';

/** RGBA pixels, as in ImageData (which Node does not have). */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * One picture for the readers, in whichever form each wants: the bitmap the page cut out of the
 * camera frame (BarcodeDetector reads it as it is), and its RGBA pixels, drawn out only when a
 * reader asks and then kept for the next one.
 */
export interface DecodeImage {
  readonly bitmap: ImageBitmap | undefined;
  pixels(): RgbaImage;
}

/** Something that finds a QR code in a picture: its text, or null when it sees none. */
export interface QrReader {
  readonly name: DecoderName;
  read(image: DecodeImage): Promise<string | null>;
}
