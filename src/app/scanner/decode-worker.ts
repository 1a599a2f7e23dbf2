/*
 * The decoding worker: camera frames and pictures are read here, off the page's thread, so that
 * a slow frame never freezes the UI. The app's policy (escalating-decoder.ts): the browser's own
 * BarcodeDetector where it has one, zxing-js behind it on every frame, and zxing-cpp in
 * WebAssembly, loaded only when those keep missing or a picture is read.
 *
 * This worker's script is the one place where WebAssembly runs, and so the one response whose
 * Content-Security-Policy allows it ('wasm-unsafe-eval'): a dedicated worker takes its policy from
 * its own script's response, not from the page (docs/app.md, "Security").
 */
import { barcodeDetectorReader, createNativeQrDetector } from './barcode-detector.js';
import type {
  DecodeRequest,
  DecodeResponse,
  DecoderCapabilities,
  DecoderChoice,
} from './decode-messages.js';
import { QrDecoderError } from './decoder-error.js';
import { EscalatingDecoder } from './escalating-decoder.js';
import { mayHoldQrCode } from './frame-texture.js';
import { LazyQrReader } from './lazy-qr-reader.js';
import type { DecodeImage, QrReader, RgbaImage } from './qr-reader.js';
import { zxingJsReader } from './zxing-decode.js';
import { zxingWasmUrl } from './zxing-wasm-url.js';

// The project's TypeScript library is the DOM one; this is the part of a worker's scope in use.
const scope = globalThis as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown): void;
};

let canvas: OffscreenCanvas | undefined;
let context: OffscreenCanvasRenderingContext2D | undefined;

const nativeReader: Promise<QrReader | null> = createNativeQrDetector().then((detector) =>
  detector === null ? null : barcodeDetectorReader(detector),
);

// A separate chunk, fetched with its .wasm only when first needed.
const zxingWasmReader = new LazyQrReader('zxing-wasm', async () => {
  const { loadZxingWasmReader } = await import('./zxing-wasm-decode.js');
  return loadZxingWasmReader();
});

/** One policy per choice, each with its own count of missed frames. */
const decoders = new Map<DecoderChoice, Promise<EscalatingDecoder>>();

function decoderFor(choice: DecoderChoice): Promise<EscalatingDecoder> {
  let decoder = decoders.get(choice);
  if (decoder === undefined) {
    decoder = createDecoder(choice);
    decoders.set(choice, decoder);
  }
  return decoder;
}

async function createDecoder(choice: DecoderChoice): Promise<EscalatingDecoder> {
  const native = await nativeReader;
  switch (choice) {
    case 'auto':
      return new EscalatingDecoder({
        fast: native === null ? [zxingJsReader] : [native, zxingJsReader],
        fallback: zxingWasmReader,
        mayHoldCode: mayHoldQrCode,
      });
    case 'zxing-js':
      return alone(zxingJsReader);
    case 'barcode-detector':
      if (native === null) {
        throw new QrDecoderError(
          'unavailable',
          'This browser has no BarcodeDetector for QR codes.',
        );
      }
      return alone(native);
    case 'zxing-wasm':
      // Every frame waits for it to load, as a picture does.
      return alone(zxingWasmReader);
  }
}

/** One reader alone, for frames and pictures alike: nothing behind it. */
function alone(reader: QrReader): EscalatingDecoder {
  return new EscalatingDecoder({ fast: [reader] });
}

scope.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as DecodeRequest | 'capabilities';
  if (request === 'capabilities') {
    void nativeReader.then((native) => {
      const capabilities: DecoderCapabilities = {
        barcodeDetector: native !== null,
        fallbackWasmUrl: zxingWasmUrl(),
      };
      scope.postMessage(capabilities);
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
    const decoder = await decoderFor(request.decoder);
    const result = await decoder.decode(decodeImage(request), request.source);
    return { id: request.id, ...result, ms: performance.now() - started };
  } catch (error) {
    return {
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof QrDecoderError ? error.code : 'failed',
    };
  } finally {
    if ('bitmap' in request) request.bitmap.close();
  }
}

/** The request's pixels for the readers: drawn out of its bitmap at most once. */
function decodeImage(request: DecodeRequest): DecodeImage {
  if (!('bitmap' in request)) {
    const image: RgbaImage = { data: request.rgba, width: request.width, height: request.height };
    return { bitmap: undefined, pixels: () => image };
  }
  let pixels: RgbaImage | undefined;
  return {
    bitmap: request.bitmap,
    pixels: () => (pixels ??= drawBitmap(request.bitmap)),
  };
}

function drawBitmap(bitmap: ImageBitmap): ImageData {
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
