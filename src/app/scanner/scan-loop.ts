import type { FramePixels } from './decode-messages.js';
import type { QrDecoder } from './qr-decoder.js';
import { viewfinderRegion } from './viewfinder.js';

/** Counts, for the benchmark and for tests. */
export interface ScanStats {
  frames: number;
  decodeMs: number[];
}

/**
 * Reads the viewfinder square of each new camera frame, one at a time: while the worker reads a
 * frame, newer frames are skipped rather than queued, so the scanner never falls behind the camera.
 * The page only cuts the square out (createImageBitmap); the worker does the reading.
 */
export class ScanLoop {
  readonly stats: ScanStats = { frames: 0, decodeMs: [] };
  private running = false;
  private busy = false;
  private handle: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fallbackCanvas: HTMLCanvasElement | undefined;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly decoder: QrDecoder,
    private readonly onFound: (text: string) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.video.cancelVideoFrameCallback(this.handle);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.handle = undefined;
    this.timer = undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    // Firefox before 132 has no requestVideoFrameCallback: poll at 25 frames a second instead.
    if ('requestVideoFrameCallback' in this.video) {
      this.handle = this.video.requestVideoFrameCallback(() => {
        this.tick();
      });
    } else {
      this.timer = setTimeout(() => {
        this.tick();
      }, 40);
    }
  }

  private tick(): void {
    if (!this.running) return;
    if (this.busy || this.video.videoWidth === 0) {
      this.schedule();
      return;
    }
    this.busy = true;
    this.schedule();
    void this.readFrame()
      .then((text) => {
        if (text !== null && this.running) {
          this.stop();
          this.onFound(text);
        }
      })
      .catch((error: unknown) => {
        if (this.running) this.onError(error);
      })
      .finally(() => {
        this.busy = false;
      });
  }

  private async readFrame(): Promise<string | null> {
    const pixels = await this.grab();
    const outcome = await this.decoder.decode(pixels);
    this.stats.frames += 1;
    this.stats.decodeMs.push(outcome.ms);
    return outcome.text;
  }

  private async grab(): Promise<FramePixels> {
    const { videoWidth, videoHeight } = this.video;
    const { x, y, size } = viewfinderRegion(videoWidth, videoHeight);
    if (typeof OffscreenCanvas !== 'undefined') {
      try {
        return { bitmap: await createImageBitmap(this.video, x, y, size, size) };
      } catch {
        // Some engines cannot cut a bitmap out of a video; the canvas below can.
      }
    }
    this.fallbackCanvas ??= document.createElement('canvas');
    const canvas = this.fallbackCanvas;
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('No 2D canvas here.');
    context.drawImage(this.video, x, y, size, size, 0, 0, size, size);
    const image = context.getImageData(0, 0, size, size);
    return { rgba: image.data, width: size, height: size };
  }
}
