import type {
  DecodeRequest,
  DecodeResponse,
  DecoderCapabilities,
  DecoderChoice,
  DecoderName,
  FramePixels,
  PixelSource,
} from './decode-messages.js';
import { QrDecoderError } from './decoder-error.js';

export { QrDecoderError } from './decoder-error.js';

/** What decoding one frame or picture gave. */
export interface DecodeOutcome {
  readonly text: string | null;
  /** The decoder that read the code, or null when none did. */
  readonly decoder: DecoderName | null;
  /** Every decoder that looked, in order. */
  readonly tried: readonly DecoderName[];
  /** Time spent decoding in the worker, ms. */
  readonly ms: number;
}

/**
 * The page's side of the decoding worker. One frame at a time is the caller's job (the scan loop
 * skips frames while one is being read); several in flight still get their own answers.
 */
export class QrDecoder {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (outcome: DecodeOutcome) => void; reject: (error: Error) => void }
  >();
  private capabilities: Promise<DecoderCapabilities> | undefined;
  private closed = false;

  constructor(readonly choice: DecoderChoice = 'auto') {
    // Vite bundles the worker and zxing-js into their own chunk, fetched when a scanner opens;
    // zxing-wasm is a chunk of its own again, fetched by the worker only when it needs it.
    this.worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (event: MessageEvent) => {
      this.handleMessage(event.data as DecodeResponse | DecoderCapabilities);
    });
    this.worker.addEventListener('error', (event) => {
      this.failAll(new QrDecoderError('worker-failed', `The decoder failed: ${event.message}`));
    });
  }

  /** Whether the worker has the browser's own BarcodeDetector, and where its .wasm comes from. */
  getCapabilities(): Promise<DecoderCapabilities> {
    this.capabilities ??= new Promise((resolve) => {
      const listener = (event: MessageEvent) => {
        const data = event.data as DecodeResponse | DecoderCapabilities;
        if ('barcodeDetector' in data) {
          this.worker.removeEventListener('message', listener);
          resolve(data);
        }
      };
      this.worker.addEventListener('message', listener);
      this.worker.postMessage('capabilities');
    });
    return this.capabilities;
  }

  /**
   * Reads one camera frame, or a picture (`source: 'picture'`: the heavier decoder looks at once).
   * A bitmap is handed over to the worker (transferred, then closed there).
   */
  decode(pixels: FramePixels, source: PixelSource = 'frame'): Promise<DecodeOutcome> {
    if (this.closed) return Promise.reject(new QrDecoderError('closed', 'The decoder is closed.'));
    const id = this.nextId++;
    const request: DecodeRequest = { id, decoder: this.choice, source, ...pixels };
    const transfer: Transferable[] =
      'bitmap' in pixels ? [pixels.bitmap] : [pixels.rgba.buffer as ArrayBuffer];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }

  /** Stops the worker; frames still in flight fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll(new QrDecoderError('closed', 'The decoder is closed.'));
  }

  private handleMessage(data: DecodeResponse | DecoderCapabilities): void {
    if ('barcodeDetector' in data) return;
    const waiter = this.pending.get(data.id);
    if (waiter === undefined) return;
    this.pending.delete(data.id);
    if ('error' in data) waiter.reject(new QrDecoderError(data.code, data.error));
    else waiter.resolve({ text: data.text, decoder: data.decoder, tried: data.tried, ms: data.ms });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
