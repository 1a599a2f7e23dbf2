import type { QrDecoder } from './qr-decoder.js';

/** The longest side a picture is scaled to before reading: phone photos are 4000 px and more. */
const MAX_IMAGE_SIDE = 1280;

/** The picture could not be read as an image. */
export class UnreadableImageError extends Error {
  override name = this.constructor.name;
}

/**
 * Reads a QR code from a picture the user picked or pasted: the whole picture, scaled down, in
 * the decoding worker, where zxing-cpp (WebAssembly) looks first and the fast decoders after it:
 * a picture is the user's one try, worth the heavier decoder. Returns null when the picture holds
 * no code.
 */
export async function decodeImageFile(file: Blob, decoder: QrDecoder): Promise<string | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (cause) {
    throw new UnreadableImageError('This file cannot be read as a picture.', { cause });
  }
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new UnreadableImageError('No 2D canvas here.');
  // A white background, so that a transparent PNG of a code has light modules, not black ones.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const image = context.getImageData(0, 0, width, height);
  const outcome = await decoder.decode({ rgba: image.data, width, height }, 'picture');
  return outcome.text;
}
