/*
 * Camera frames with a QR code in them, made from lean-qr's module matrix: grey (luma) pixels for
 * the benchmark and the y4m files that Chromium's fake camera plays.
 */
import { writeFile } from 'node:fs/promises';
import { generate } from 'lean-qr';

/** 8-bit grey pixels, one byte per pixel. */
export interface GreyFrame {
  readonly width: number;
  readonly height: number;
  readonly luma: Uint8ClampedArray;
}

export interface QrFrameOptions {
  width?: number;
  height?: number;
  /** Pixels per module; default: the code with its quiet zone fills half the shorter side. */
  modulePixels?: number;
}

/** A frame with `text` as a QR code (black on white, quiet zone of 4) in its centre. */
export function qrFrame(text: string, options: QrFrameOptions = {}): GreyFrame {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const code = generate(text);
  const withQuietZone = code.size + 8;
  const modulePixels =
    options.modulePixels ??
    Math.max(1, Math.floor((Math.min(width, height) * 0.5) / withQuietZone));
  const side = code.size * modulePixels;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const luma = new Uint8ClampedArray(width * height).fill(235);
  // The quiet zone and the code's light modules: white paper.
  const paper = 4 * modulePixels;
  for (let y = Math.max(0, top - paper); y < Math.min(height, top + side + paper); y += 1) {
    for (let x = Math.max(0, left - paper); x < Math.min(width, left + side + paper); x += 1) {
      luma[y * width + x] = 250;
    }
  }
  for (let my = 0; my < code.size; my += 1) {
    for (let mx = 0; mx < code.size; mx += 1) {
      if (!code.get(mx, my)) continue;
      for (let y = top + my * modulePixels; y < top + (my + 1) * modulePixels; y += 1) {
        for (let x = left + mx * modulePixels; x < left + (mx + 1) * modulePixels; x += 1) {
          if (x >= 0 && y >= 0 && x < width && y < height) luma[y * width + x] = 16;
        }
      }
    }
  }
  return { width, height, luma };
}

/**
 * The frames as a YUV4MPEG2 file (4:2:0, grey: both chroma planes 128), which Chromium plays
 * with `--use-file-for-fake-video-capture`, in a loop.
 */
export function toY4m(frames: readonly GreyFrame[]): Uint8Array {
  const first = frames[0];
  if (first === undefined) throw new TypeError('At least one frame.');
  const { width, height } = first;
  const header = new TextEncoder().encode(
    `YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`,
  );
  const frameHeader = new TextEncoder().encode('FRAME\n');
  const chroma = (width / 2) * (height / 2);
  const frameSize = frameHeader.length + width * height + 2 * chroma;
  const out = new Uint8Array(header.length + frames.length * frameSize);
  out.set(header, 0);
  let offset = header.length;
  for (const frame of frames) {
    if (frame.width !== width || frame.height !== height) throw new TypeError('One size only.');
    out.set(frameHeader, offset);
    offset += frameHeader.length;
    out.set(frame.luma, offset);
    offset += width * height;
    out.fill(128, offset, offset + 2 * chroma);
    offset += 2 * chroma;
  }
  return out;
}

export async function writeY4m(path: string, frames: readonly GreyFrame[]): Promise<void> {
  await writeFile(path, toY4m(frames));
}

/** Grey pixels as RGBA, the form the decoders read. */
export function greyToRgba(frame: GreyFrame): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(frame.width * frame.height * 4);
  for (let i = 0, p = 0; i < frame.luma.length; i += 1, p += 4) {
    const value = frame.luma[i] ?? 0;
    rgba[p] = value;
    rgba[p + 1] = value;
    rgba[p + 2] = value;
    rgba[p + 3] = 255;
  }
  return rgba;
}
