/*
 * A camera for browser tests that is a real MediaStream: a canvas, redrawn 30 times a second,
 * captured as a video track. The scanner handles its tracks exactly as it would a phone camera's,
 * so a test can check that every track it handed out has ended.
 */
import type { CameraChoice, CameraSource } from '../../../src/app/scanner/camera-source.js';

export class CanvasCamera implements CameraSource {
  /** Every stream handed out, in order. */
  readonly streams: MediaStream[] = [];
  /** Each call's device id. */
  readonly opened: (string | undefined)[] = [];
  /** When set, `open` fails with it (e.g. a DOMException named NotAllowedError). */
  failure: Error | undefined;
  /** Gives tracks a torch (getCapabilities says so; applyConstraints records the calls). */
  torch = false;
  readonly torchConstraints: MediaTrackConstraints[] = [];
  private readonly canvas = document.createElement('canvas');
  private timer: ReturnType<typeof setInterval> | undefined;
  private picture: ImageData | undefined;
  private at: { x: number; y: number } | undefined;

  constructor(
    readonly cameras: CameraChoice[] = [],
    size: { width: number; height: number } = { width: 320, height: 240 },
  ) {
    this.canvas.width = size.width;
    this.canvas.height = size.height;
  }

  /**
   * Shows `image` in the camera's view: in the middle (a QR code entering the viewfinder), or with
   * its top left corner at `at`.
   */
  show(image: ImageData | undefined, at?: { x: number; y: number }): void {
    this.picture = image;
    this.at = at;
  }

  open(deviceId?: string): Promise<MediaStream> {
    this.opened.push(deviceId);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.startDrawing();
    const stream = this.canvas.captureStream(30);
    const track = stream.getVideoTracks()[0];
    if (this.torch && track !== undefined) {
      track.getCapabilities = () => ({ torch: true }) as MediaTrackCapabilities;
      track.applyConstraints = (constraints?: MediaTrackConstraints) => {
        if (constraints !== undefined) this.torchConstraints.push(constraints);
        return Promise.resolve();
      };
    }
    this.streams.push(stream);
    return Promise.resolve(stream);
  }

  list(): Promise<CameraChoice[]> {
    return Promise.resolve(this.cameras);
  }

  /** The tracks handed out that have not ended. */
  liveTracks(): MediaStreamTrack[] {
    return this.streams
      .flatMap((stream) => stream.getTracks())
      .filter((track) => track.readyState !== 'ended');
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const track of this.streams.flatMap((stream) => stream.getTracks())) track.stop();
  }

  private startDrawing(): void {
    if (this.timer !== undefined) return;
    const context = this.canvas.getContext('2d');
    if (context === null) throw new Error('no 2D context');
    let tick = 0;
    const draw = () => {
      tick += 1;
      // A changing background, so that every frame is new to the video element.
      context.fillStyle = tick % 2 === 0 ? '#d8d8d8' : '#dadada';
      context.fillRect(0, 0, this.canvas.width, this.canvas.height);
      if (this.picture !== undefined) {
        const x = this.at?.x ?? Math.floor((this.canvas.width - this.picture.width) / 2);
        const y = this.at?.y ?? Math.floor((this.canvas.height - this.picture.height) / 2);
        context.putImageData(this.picture, x, y);
      }
    };
    draw();
    this.timer = setInterval(draw, 33);
  }
}

/**
 * How long a scanner test waits (with `until` from test/support/until.ts) for the camera, a screen
 * or a code read. Long, because the test server serves the scanner's modules unbundled: on a fresh
 * machine WebKit once took over 10 s to start the camera view the first time (seen in a
 * clean-clone CI run).
 */
export const SCANNER_WAIT_MS = 25_000;
