/*
 * The decoding worker: camera frames are read here, off the page's thread, so that a slow frame
 * never freezes the UI. A bitmap is drawn on an OffscreenCanvas and handed to zxing, or to the
 * browser's own BarcodeDetector when it has one and the page asks for it.
 */
import { createNativeQrDetector, type BarcodeDetectorInstance } from './barcode-detector.js';
import type { DecodeRequest, DecodeResponse, DecoderName } from './decode-messages.js';
import { decodeQrFromRgba, type RgbaImage } from './zxing-decode.js';

// The project's TypeScript library is the DOM one; this is the part of a worker's scope in use.
const scope = globalThis as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown): void;
};

let canvas: OffscreenCanvas | undefined;
let context: OffscreenCanvasRenderingContext2D | undefined;
const nativeDetector: Promise<BarcodeDetectorInstance | null> = createNativeQrDetector();

scope.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as DecodeRequest | 'capabilities';
  if (request === 'capabilities') {
    void nativeDetector.then((detector) => {
      scope.postMessage({ barcodeDetector: detector !== null });
    });
    return;
  }
  void handle(request).then((response) => {
    scope.postMessage(response);
  });
});

async function handle(request: DecodeRequest): Promise<DecodeResponse> {
  const started = performance.now();
  try {
    const detector = request.decoder === 'zxing' ? null : await nativeDetector;
    if (request.decoder === 'barcode-detector' && detector === null) {
      throw new Error('This browser has no BarcodeDetector for QR codes.');
    }
    let text: string | null;
    let decoder: DecoderName;
    if (detector !== null && 'bitmap' in request) {
      const found = await detector.detect(request.bitmap);
      text = found[0]?.rawValue ?? null;
      decoder = 'barcode-detector';
    } else {
      text = decodeQrFromRgba(toRgba(request));
      decoder = 'zxing';
    }
    return { id: request.id, text, decoder, ms: performance.now() - started };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  } finally {
    if ('bitmap' in request) request.bitmap.close();
  }
}

function toRgba(request: DecodeRequest): RgbaImage {
  if (!('bitmap' in request)) {
    return { data: request.rgba, width: request.width, height: request.height };
  }
  const { bitmap } = request;
  if (canvas === undefined || context === undefined) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const created = canvas.getContext('2d', { willReadFrequently: true });
    if (created === null) throw new Error('OffscreenCanvas has no 2D context here.');
    context = created;
  }
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}
