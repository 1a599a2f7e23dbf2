import { expect } from 'chai';
import { describe, it } from '#spec';
import type { DecoderName } from '../../src/app/scanner/decode-messages.js';
import { QrDecoderError } from '../../src/app/scanner/decoder-error.js';
import {
  EscalatingDecoder,
  MISSES_BEFORE_FALLBACK,
} from '../../src/app/scanner/escalating-decoder.js';
import { busiestTileEdgeShare, mayHoldQrCode } from '../../src/app/scanner/frame-texture.js';
import { LazyQrReader } from '../../src/app/scanner/lazy-qr-reader.js';
import type { DecodeImage, QrReader, RgbaImage } from '../../src/app/scanner/qr-reader.js';
import { until } from '../support/until.js';

const CODE = 'https://scan.otp-login.example/#1234';

/** A picture for the readers; what a reader sees in it is up to that reader here. */
const picture: DecodeImage = {
  bitmap: undefined,
  pixels: () => ({ data: new Uint8ClampedArray(4), width: 1, height: 1 }),
};

/** A reader that answers from a script (text, null for no code, or an error), and counts. */
class ScriptedReader implements QrReader {
  reads = 0;

  constructor(
    readonly name: DecoderName,
    private readonly answer: () => string | null | Error,
  ) {}

  read(): Promise<string | null> {
    this.reads += 1;
    const answer = this.answer();
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

/** The WebAssembly reader as the worker has it: loaded on first need, with a count of loads. */
function lazyFallback(reader: QrReader, load: () => Promise<void> = () => Promise.resolve()) {
  const counts = { loads: 0 };
  const lazy = new LazyQrReader(reader.name, async () => {
    counts.loads += 1;
    await load();
    return reader;
  });
  return { lazy, counts };
}

describe('EscalatingDecoder (which decoder reads a frame or a picture)', () => {
  it('reads a frame with the fast decoder alone when it finds the code', async () => {
    const fast = new ScriptedReader('zxing-js', () => CODE);
    const wasm = new ScriptedReader('zxing-wasm', () => CODE);
    const { lazy, counts } = lazyFallback(wasm);
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    const result = await decoder.decode(picture, 'frame');

    expect(result).to.deep.equal({ text: CODE, decoder: 'zxing-js', tried: ['zxing-js'] });
    expect(counts.loads, 'the WebAssembly decoder is not even fetched').to.equal(0);
  });

  it(`asks the fallback only after ${MISSES_BEFORE_FALLBACK} frames in a row without a code, and reads with it then`, async () => {
    const fast = new ScriptedReader('zxing-js', () => null);
    const wasm = new ScriptedReader('zxing-wasm', () => CODE);
    const { lazy, counts } = lazyFallback(wasm);
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    for (let frame = 1; frame < MISSES_BEFORE_FALLBACK; frame += 1) {
      const missed = await decoder.decode(picture, 'frame');
      expect(missed.text).to.equal(null);
    }
    expect(counts.loads, 'not loaded before the misses').to.equal(0);

    // The third miss starts the load; that frame does not wait for it.
    const third = await decoder.decode(picture, 'frame');
    expect(third).to.deep.equal({ text: null, decoder: null, tried: ['zxing-js'] });
    expect(counts.loads).to.equal(1);
    await until(() => lazy.state === 'ready', 'the fallback loaded');

    const fourth = await decoder.decode(picture, 'frame');
    expect(fourth).to.deep.equal({
      text: CODE,
      decoder: 'zxing-wasm',
      tried: ['zxing-js', 'zxing-wasm'],
    });
    expect(counts.loads, 'loaded once').to.equal(1);
  });

  it('starts counting misses again after a frame with a code', async () => {
    let fastAnswer: string | null = null;
    const fast = new ScriptedReader('zxing-js', () => fastAnswer);
    const wasm = new ScriptedReader('zxing-wasm', () => null);
    const { lazy, counts } = lazyFallback(wasm);
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    await decoder.decode(picture, 'frame');
    await decoder.decode(picture, 'frame');
    fastAnswer = CODE;
    await decoder.decode(picture, 'frame');
    fastAnswer = null;
    await decoder.decode(picture, 'frame');
    await decoder.decode(picture, 'frame');

    expect(counts.loads, 'two misses in a row, twice: never three').to.equal(0);
  });

  it('leaves frames that hold no code (a blank wall) to the fast decoder', async () => {
    const fast = new ScriptedReader('zxing-js', () => null);
    const { lazy, counts } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE));
    const decoder = new EscalatingDecoder({
      fast: [fast],
      fallback: lazy,
      mayHoldCode: () => false,
    });

    for (let frame = 0; frame < 10; frame += 1) await decoder.decode(picture, 'frame');

    expect(fast.reads).to.equal(10);
    expect(counts.loads).to.equal(0);
  });

  it("gives zxing-js the frame that the browser's BarcodeDetector missed", async () => {
    const native = new ScriptedReader('barcode-detector', () => null);
    const zxing = new ScriptedReader('zxing-js', () => CODE);
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE));
    const decoder = new EscalatingDecoder({ fast: [native, zxing], fallback: lazy });

    const result = await decoder.decode(picture, 'frame');

    expect(result).to.deep.equal({
      text: CODE,
      decoder: 'zxing-js',
      tried: ['barcode-detector', 'zxing-js'],
    });
  });

  it("gives zxing-js the frame on which the browser's BarcodeDetector threw", async () => {
    const native = new ScriptedReader('barcode-detector', () => new Error('detect failed'));
    const zxing = new ScriptedReader('zxing-js', () => CODE);
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE));
    const decoder = new EscalatingDecoder({ fast: [native, zxing], fallback: lazy });

    expect((await decoder.decode(picture, 'frame')).decoder).to.equal('zxing-js');
  });

  it('fails a frame only when every decoder failed on it', async () => {
    const native = new ScriptedReader('barcode-detector', () => new Error('detect failed'));
    const zxing = new ScriptedReader('zxing-js', () => new Error('out of memory'));
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE));
    const decoder = new EscalatingDecoder({ fast: [native, zxing], fallback: lazy });

    const failure = await decoder.decode(picture, 'frame').then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).to.be.instanceOf(QrDecoderError);
    expect((failure as QrDecoderError).code).to.equal('failed');
  });

  it('sends a picked picture straight to the fallback, waiting for it to load', async () => {
    const fast = new ScriptedReader('zxing-js', () => CODE);
    const wasm = new ScriptedReader('zxing-wasm', () => CODE);
    const { lazy, counts } = lazyFallback(wasm);
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    const result = await decoder.decode(picture, 'picture');

    expect(result).to.deep.equal({ text: CODE, decoder: 'zxing-wasm', tried: ['zxing-wasm'] });
    expect(counts.loads).to.equal(1);
    expect(fast.reads, 'the fast decoder was not needed').to.equal(0);
  });

  it('gives a picture the fallback misses to the fast decoders as well', async () => {
    const fast = new ScriptedReader('zxing-js', () => CODE);
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => null));
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    expect(await decoder.decode(picture, 'picture')).to.deep.equal({
      text: CODE,
      decoder: 'zxing-js',
      tried: ['zxing-wasm', 'zxing-js'],
    });
  });

  it('reads pictures with the fast decoders when the fallback cannot load (offline, or forbidden by a CSP)', async () => {
    const fast = new ScriptedReader('zxing-js', () => CODE);
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE), () =>
      Promise.reject(new Error('CompileError: WebAssembly is not allowed')),
    );
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    expect(await decoder.decode(picture, 'picture')).to.deep.equal({
      text: CODE,
      decoder: 'zxing-js',
      tried: ['zxing-js'],
    });
    expect(lazy.state).to.equal('failed');
  });

  it('never sets off a download again from camera frames after the fallback failed to load; a picture tries again', async () => {
    const fast = new ScriptedReader('zxing-js', () => null);
    const { lazy, counts } = lazyFallback(new ScriptedReader('zxing-wasm', () => null), () =>
      Promise.reject(new Error('offline')),
    );
    const decoder = new EscalatingDecoder({ fast: [fast], fallback: lazy });

    for (let frame = 0; frame < MISSES_BEFORE_FALLBACK; frame += 1) {
      await decoder.decode(picture, 'frame');
    }
    await until(() => lazy.state === 'failed', 'the load failed');
    for (let frame = 0; frame < 10; frame += 1) await decoder.decode(picture, 'frame');
    expect(counts.loads).to.equal(1);

    await decoder.decode(picture, 'picture');
    expect(counts.loads, 'the picture asked again').to.equal(2);
  });

  it('says so when the WebAssembly decoder alone is asked for and cannot load', async () => {
    const { lazy } = lazyFallback(new ScriptedReader('zxing-wasm', () => CODE), () =>
      Promise.reject(new Error('offline')),
    );
    const decoder = new EscalatingDecoder({ fast: [lazy] });

    const failure = await decoder.decode(picture, 'picture').then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).to.be.instanceOf(QrDecoderError);
    expect((failure as QrDecoderError).code).to.equal('unavailable');
  });
});

/** A grey picture of `width`×`height` from a function of the pixel. */
function greyPicture(width: number, height: number, grey: (x: number, y: number) => number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const p = (y * width + x) * 4;
      data.fill(grey(x, y), p, p + 3);
      data[p + 3] = 255;
    }
  }
  return { data, width, height } satisfies RgbaImage;
}

describe('mayHoldQrCode (whether a missed frame is worth the heavy decoder)', () => {
  it('says no for a blank wall, a dark pocket and a soft gradient', () => {
    expect(mayHoldQrCode(greyPicture(336, 336, () => 180))).to.equal(false);
    expect(mayHoldQrCode(greyPicture(336, 336, () => 8))).to.equal(false);
    expect(mayHoldQrCode(greyPicture(336, 336, (x, y) => 60 + (x + y) / 6))).to.equal(false);
  });

  it('says yes for a chequered pattern of code-sized modules, even a small one in a corner', () => {
    const modules = (x: number, y: number) =>
      (Math.floor(x / 5) + Math.floor(y / 5)) % 2 === 0 ? 20 : 230;
    expect(mayHoldQrCode(greyPicture(336, 336, modules))).to.equal(true);
    const smallInCorner = (x: number, y: number) => (x < 60 && y < 60 ? modules(x, y) : 128);
    expect(busiestTileEdgeShare(greyPicture(336, 336, smallInCorner))).to.be.above(0.2);
  });
});
