import {
  BinaryBitmap,
  ChecksumException,
  DecodeHintType,
  FormatException,
  HybridBinarizer,
  NotFoundException,
  QRCodeReader,
  RGBLuminanceSource,
} from './zxing-qr-modules.js';
import type { QrReader, RgbaImage } from './qr-reader.js';

const reader = new QRCodeReader();
const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);

/**
 * Finds a QR code in RGBA pixels with zxing's QR reader, or returns null. Only QR codes are
 * looked for: the multi-format reader would try every 1D format on every frame for nothing.
 */
export function decodeQrFromRgba(image: RgbaImage): string | null {
  const { data, width, height } = image;
  const luminances = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < luminances.length; i += 1, p += 4) {
    // ITU-R BT.601 luma, in integers: (77 R + 150 G + 29 B) / 256.
    luminances[i] = ((data[p] ?? 0) * 77 + (data[p + 1] ?? 0) * 150 + (data[p + 2] ?? 0) * 29) >> 8;
  }
  return decodeQrFromLuminance(luminances, width, height);
}

/** zxing's QR reader in JavaScript: fast, and the first to look at every camera frame. */
export const zxingJsReader: QrReader = {
  name: 'zxing-js',
  read: (image) => Promise.resolve(decodeQrFromRgba(image.pixels())),
};

/** Below this many pixels on the shorter side, a half-size second look finds nothing new. */
const MIN_SIDE_FOR_SECOND_LOOK = 160;

/**
 * Finds a QR code in 8-bit grey pixels (one byte per pixel), or returns null. When the first look
 * finds nothing, a second look at half the size: zxing's finder-pattern search misses some codes
 * with large, sharp modules (a pattern in the data looks like a finder), and finds them at half
 * size. It costs a quarter of the first look, and only on frames without a code.
 */
export function decodeQrFromLuminance(
  luminances: Uint8ClampedArray,
  width: number,
  height: number,
): string | null {
  const text = decodeOnce(luminances, width, height);
  if (text !== null || Math.min(width, height) < MIN_SIDE_FOR_SECOND_LOOK) return text;
  const half = halve(luminances, width, height);
  return decodeOnce(half.luminances, half.width, half.height);
}

/** The picture at half size, each pixel the mean of a 2×2 block. */
function halve(
  luminances: Uint8ClampedArray,
  width: number,
  height: number,
): { luminances: Uint8ClampedArray; width: number; height: number } {
  const halfWidth = width >> 1;
  const halfHeight = height >> 1;
  const out = new Uint8ClampedArray(halfWidth * halfHeight);
  for (let y = 0; y < halfHeight; y += 1) {
    const top = 2 * y * width;
    const bottom = top + width;
    for (let x = 0; x < halfWidth; x += 1) {
      const left = 2 * x;
      out[y * halfWidth + x] =
        ((luminances[top + left] ?? 0) +
          (luminances[top + left + 1] ?? 0) +
          (luminances[bottom + left] ?? 0) +
          (luminances[bottom + left + 1] ?? 0)) >>
        2;
    }
  }
  return { luminances: out, width: halfWidth, height: halfHeight };
}

function decodeOnce(luminances: Uint8ClampedArray, width: number, height: number): string | null {
  const bitmap = new BinaryBitmap(
    new HybridBinarizer(new RGBLuminanceSource(luminances, width, height)),
  );
  try {
    return reader.decode(bitmap, hints).getText();
  } catch (error) {
    // No code, or a damaged one, in this frame: the next frame may do better.
    if (
      error instanceof NotFoundException ||
      error instanceof ChecksumException ||
      error instanceof FormatException
    ) {
      return null;
    }
    throw error;
  } finally {
    reader.reset();
  }
}
