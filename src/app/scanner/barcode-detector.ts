/*
 * The Shape Detection API's BarcodeDetector, which TypeScript's DOM library does not describe yet.
 * Chromium has it on Android, macOS and ChromeOS; on Linux and in Firefox and WebKit it is mostly
 * missing, and zxing does the work.
 */

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
