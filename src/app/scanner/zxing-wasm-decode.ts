/*
 * zxing-cpp compiled to WebAssembly (the zxing-wasm package, its reader only): it reads codes that
 * zxing-js misses (strong perspective, glare, blur, small codes), at the price of a 950 KB .wasm
 * (400 KB gzip) and a compile. This module is imported only when the fast readers keep missing
 * or a picture is read (see escalating-decoder.ts), so neither the scanner screen nor the
 * worker's first load carry it.
 */
import {
  prepareZXingModule,
  purgeZXingModule,
  readBarcodes,
  type ReaderOptions,
} from 'zxing-wasm/reader';
import type { QrReader } from './qr-reader.js';
import { zxingWasmUrl } from './zxing-wasm-url.js';

const READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  // A QR code is found at any angle without it; the rotations are for linear barcodes.
  tryRotate: false,
  // A code on a dark-themed page is light on dark: the widget's colours follow the page's CSS.
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/**
 * Fetches and compiles zxing-cpp from our own origin, and returns it as a reader. Throws when the
 * .wasm cannot be fetched or WebAssembly may not be compiled here (CSP without
 * 'wasm-unsafe-eval').
 */
export async function loadZxingWasmReader(): Promise<QrReader> {
  const wasmUrl = zxingWasmUrl();
  try {
    await prepareZXingModule({
      overrides: {
        // Every file the module asks for is ours: the .wasm is the only one it fetches.
        locateFile: (path: string, prefix: string) =>
          path.endsWith('.wasm') ? wasmUrl : prefix + path,
      },
      fireImmediately: true,
    });
  } catch (error) {
    // zxing-wasm keeps the failed module; drop it, so that a later try loads afresh.
    purgeZXingModule();
    throw error;
  }
  return {
    name: 'zxing-wasm',
    async read(image) {
      // readBarcodes takes any { data, width, height } of RGBA pixels; its type says ImageData.
      const [found] = await readBarcodes(image.pixels() as ImageData, READER_OPTIONS);
      return found?.text ?? null;
    },
  };
}
