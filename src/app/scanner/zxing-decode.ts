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

/** RGBA pixels, as in ImageData (which Node does not have). */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

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

/** Finds a QR code in 8-bit grey pixels (one byte per pixel), or returns null. */
export function decodeQrFromLuminance(
  luminances: Uint8ClampedArray,
  width: number,
  height: number,
): string | null {
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
