import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import type { DecoderChoice } from '../../src/app/scanner/decode-messages.js';
import { QrDecoder } from '../../src/app/scanner/qr-decoder.js';
import { decodeImageFile } from '../../src/app/scanner/image-decode.js';
import { qrImageData, qrPngFile } from './support/browser-frames.js';
import { hardPhoto } from './support/hard-photos.js';
import { loginCodeText } from './support/login-code-text.js';
import { seededRandom } from './support/seeded-random.js';

const TEXT =
  'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708209828027503085069645197357';

/** Mocha's own `it`, for a test that needs a longer timeout (the first .wasm compile). */
const mocha = globalThis as unknown as {
  it: (name: string, body: (this: { timeout(ms: number): void }) => Promise<void>) => void;
};

/**
 * A login code photographed at a steep angle: zxing-js finds no code in it, zxing-cpp reads it
 * (seed 1 of the bench's perspective photographs; bench:scan has the whole set).
 */
function steepPhoto(): { photo: ImageData; text: string } {
  const random = seededRandom(1);
  const text = loginCodeText(random);
  const { data, width, height } = hardPhoto('perspective', text, random);
  return { photo: new ImageData(new Uint8ClampedArray(data), width, height), text };
}

describe('QrDecoder (the decoding worker)', () => {
  const opened: QrDecoder[] = [];

  function decoder(choice: DecoderChoice): QrDecoder {
    const created = new QrDecoder(choice);
    opened.push(created);
    return created;
  }

  afterEach(() => {
    for (const each of opened.splice(0)) each.close();
  });

  it('reads a QR code from RGBA pixels in the worker with zxing-js', async () => {
    const image = qrImageData(TEXT);
    const outcome = await decoder('zxing-js').decode({
      rgba: image.data,
      width: image.width,
      height: image.height,
    });
    expect(outcome.text).to.equal(TEXT);
    expect(outcome.decoder).to.equal('zxing-js');
    expect(outcome.ms).to.be.a('number');
  });

  it('reads a QR code from a bitmap drawn on an OffscreenCanvas in the worker', async () => {
    const bitmap = await createImageBitmap(qrImageData(TEXT));
    const outcome = await decoder('zxing-js').decode({ bitmap });
    expect(outcome.text).to.equal(TEXT);
  });

  it('answers null for a frame without a code', async () => {
    const blank = new ImageData(320, 240);
    blank.data.fill(200);
    const outcome = await decoder('auto').decode({ rgba: blank.data, width: 320, height: 240 });
    expect(outcome.text).to.equal(null);
    expect(outcome.decoder).to.equal(null);
  });

  it('reads a picture file of a code (the no-camera fallback)', async () => {
    expect(await decodeImageFile(await qrPngFile(TEXT), decoder('auto'))).to.equal(TEXT);
  });

  mocha.it(
    'reads a steep photograph that zxing-js misses with zxing-cpp, fetched from this origin',
    async function () {
      this.timeout(120_000);
      const { photo, text } = steepPhoto();
      const fast = await decoder('zxing-js').decode({
        rgba: new Uint8ClampedArray(photo.data),
        width: photo.width,
        height: photo.height,
      });
      expect(fast.text, 'zxing-js alone').to.equal(null);

      const wasm = decoder('zxing-wasm');
      const { fallbackWasmUrl } = await wasm.getCapabilities();
      expect(new URL(fallbackWasmUrl).origin).to.equal(location.origin);
      const outcome = await wasm.decode({ bitmap: await createImageBitmap(photo) });
      expect(outcome.text).to.equal(text);
      expect(outcome.decoder).to.equal('zxing-wasm');
      // The file really is there, on this origin, and is WebAssembly ("\0asm").
      const head = new Uint8Array(await (await fetch(fallbackWasmUrl)).arrayBuffer()).slice(0, 4);
      expect([...head]).to.deep.equal([0, 0x61, 0x73, 0x6d]);
    },
  );

  mocha.it(
    'reads that photograph as a picked picture: zxing-cpp first, without waiting for misses',
    async function () {
      this.timeout(120_000);
      const { photo, text } = steepPhoto();
      const canvas = document.createElement('canvas');
      canvas.width = photo.width;
      canvas.height = photo.height;
      canvas.getContext('2d')?.putImageData(photo, 0, 0);
      const blob = await new Promise<Blob>((resolve, reject) => {
        canvas.toBlob((result) => {
          if (result === null) reject(new Error('toBlob failed'));
          else resolve(result);
        }, 'image/png');
      });
      expect(await decodeImageFile(blob, decoder('auto'))).to.equal(text);
    },
  );

  mocha.it(
    'escalates held camera frames to zxing-cpp after the fast decoder missed a few',
    async function () {
      this.timeout(120_000);
      const { photo, text } = steepPhoto();
      const auto = decoder('auto');
      const outcomes = [];
      // The app's scan loop sends frame after frame; the fallback loads after the third miss.
      while (outcomes.length < 200 && outcomes.at(-1)?.text !== text) {
        outcomes.push(await auto.decode({ bitmap: await createImageBitmap(photo) }));
      }
      const [first, second, third] = outcomes;
      expect(first?.tried).to.not.include('zxing-wasm');
      expect(second?.tried).to.not.include('zxing-wasm');
      expect(third?.tried).to.not.include('zxing-wasm');
      expect(outcomes.at(-1)?.text).to.equal(text);
      expect(outcomes.at(-1)?.decoder).to.equal('zxing-wasm');
    },
  );

  it('fails frames after close instead of hanging', async () => {
    const closing = decoder('zxing-js');
    closing.close();
    let failure: unknown;
    try {
      await closing.decode({ rgba: new Uint8ClampedArray(4), width: 1, height: 1 });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).name).to.equal('QrDecoderError');
    expect((failure as { code?: string }).code).to.equal('closed');
  });

  it('reports whether the browser has a native BarcodeDetector for QR codes', async () => {
    const { barcodeDetector } = await decoder('auto').getCapabilities();
    expect(barcodeDetector).to.equal('BarcodeDetector' in globalThis);
  });
});
