/*
 * The Shape Detection API's BarcodeDetector, which TypeScript's DOM library does not describe yet.
 * Chromium has it on Android, macOS and ChromeOS; on Linux and in Firefox and WebKit it is mostly
 * missing, and zxing does the work. Where it exists it looks first, and zxing looks behind it:
 * a frame it misses still goes to zxing (some engines' detectors miss small or tilted codes).
 */
import type { QrReader, RgbaImage } from './qr-reader.js';

interface DetectedBarcode {
  readonly rawValue: string;
  readonly format: string;
}

export interface BarcodeDetectorInstance {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}

interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
}

/** A QR-code BarcodeDetector, or null when this browser (or worker) has none. */
export async function createNativeQrDetector(): Promise<BarcodeDetectorInstance | null> {
  const constructor = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (constructor === undefined) return null;
  try {
    const formats = await constructor.getSupportedFormats();
    if (!formats.includes('qr_code')) return null;
    return new constructor({ formats: ['qr_code'] });
  } catch {
    return null;
  }
}

/**
 * The browser's own detector as a reader: the bitmap as the page cut it out when there is one
 * (no copy of its pixels), else the pixels.
 */
export function barcodeDetectorReader(detector: BarcodeDetectorInstance): QrReader {
  return {
    name: 'barcode-detector',
    async read(image) {
      const source = image.bitmap ?? toImageData(image.pixels());
      const found = await detector.detect(source);
      return found[0]?.rawValue ?? null;
    },
  };
}

function toImageData(image: RgbaImage): ImageData {
  if (image instanceof ImageData) return image;
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}
