import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { QrDecoder } from '../../src/app/scanner/qr-decoder.js';
import { decodeImageFile } from '../../src/app/scanner/image-decode.js';
import { qrImageData, qrPngFile } from './support/browser-frames.js';

const TEXT =
  'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708209828027503085069645197357';

describe('QrDecoder (the decoding worker)', () => {
  let decoder: QrDecoder;

  beforeEach(() => {
    decoder = new QrDecoder('zxing');
  });

  afterEach(() => {
    decoder.close();
  });

  it('reads a QR code from RGBA pixels in the worker with zxing', async () => {
    const image = qrImageData(TEXT);
    const outcome = await decoder.decode({
      rgba: image.data,
      width: image.width,
      height: image.height,
    });
    expect(outcome.text).to.equal(TEXT);
    expect(outcome.decoder).to.equal('zxing');
    expect(outcome.ms).to.be.a('number');
  });

  it('reads a QR code from a bitmap drawn on an OffscreenCanvas in the worker', async () => {
    const bitmap = await createImageBitmap(qrImageData(TEXT));
    const outcome = await decoder.decode({ bitmap });
    expect(outcome.text).to.equal(TEXT);
  });

  it('answers null for a frame without a code', async () => {
    const blank = new ImageData(320, 240);
    blank.data.fill(200);
    const outcome = await decoder.decode({ rgba: blank.data, width: 320, height: 240 });
    expect(outcome.text).to.equal(null);
  });

  it('reads a picture file of a code (the no-camera fallback)', async () => {
    expect(await decodeImageFile(await qrPngFile(TEXT), decoder)).to.equal(TEXT);
  });

  it('fails frames after close instead of hanging', async () => {
    decoder.close();
    let failure: unknown;
    try {
      await decoder.decode({ rgba: new Uint8ClampedArray(4), width: 1, height: 1 });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).name).to.equal('QrDecoderError');
  });

  it('reports whether the browser has a native BarcodeDetector for QR codes', async () => {
    const auto = new QrDecoder('auto');
    try {
      const { barcodeDetector } = await auto.getCapabilities();
      expect(barcodeDetector).to.equal('BarcodeDetector' in globalThis);
    } finally {
      auto.close();
    }
  });
});
