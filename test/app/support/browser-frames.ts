/* QR pictures for browser tests, drawn from lean-qr's matrix. */
import { generate } from 'lean-qr';

/** RGBA pixels of `text` as a QR code, `modulePixels` per module, with a quiet zone of 4. */
export function qrImageData(text: string, modulePixels = 6, padding = 40): ImageData {
  const code = generate(text);
  const side = code.size * modulePixels + 2 * padding;
  const image = new ImageData(side, side);
  image.data.fill(255);
  for (let y = 0; y < code.size * modulePixels; y += 1) {
    for (let x = 0; x < code.size * modulePixels; x += 1) {
      if (!code.get(Math.floor(x / modulePixels), Math.floor(y / modulePixels))) continue;
      const p = ((y + padding) * side + x + padding) * 4;
      image.data[p] = 0;
      image.data[p + 1] = 0;
      image.data[p + 2] = 0;
    }
  }
  return image;
}

/** The same as a PNG file, as a user's picture of a code would arrive. */
export async function qrPngFile(text: string): Promise<File> {
  const image = qrImageData(text);
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D context');
  context.putImageData(image, 0, 0);
  const blob = await new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((result) => {
      if (result === null) reject(new Error('toBlob failed'));
      else resolve(result);
    }, 'image/png');
  });
  return new File([blob], 'code.png', { type: 'image/png' });
}
