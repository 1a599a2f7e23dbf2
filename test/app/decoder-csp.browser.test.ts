/*
 * The app's page allows no WebAssembly (its CSP has no 'wasm-unsafe-eval'); the decoding worker
 * must still compile zxing-cpp: a dedicated worker takes its policy from its own script's
 * response, not from the page that starts it (in Chromium, Firefox and WebKit alike). The Token
 * Server's hosted app gives that one script 'wasm-unsafe-eval' (decoder-csp.node.test.ts).
 */
import { expect } from 'chai';
import { describe } from '#spec';
import { QrDecoder } from '../../src/app/scanner/qr-decoder.js';
import { qrImageData } from './support/browser-frames.js';

const TEXT = 'HTTPS://SCAN.EXAMPLE/#1217760415652012077487173754520492744773334130895708209828027';

/** Mocha's own `it`, for a test that needs a longer timeout (the first .wasm compile). */
const mocha = globalThis as unknown as {
  it: (name: string, body: (this: { timeout(ms: number): void }) => Promise<void>) => void;
};

describe('the decoding worker under the page’s CSP', () => {
  mocha.it(
    'compiles zxing-cpp in the worker while the page’s own CSP allows no WebAssembly',
    async function () {
      this.timeout(120_000);
      // The app's script-src ('self'), and inline for this test page's own runner.
      const meta = document.createElement('meta');
      meta.httpEquiv = 'Content-Security-Policy';
      meta.content = "script-src 'self' 'unsafe-inline'; worker-src 'self'";
      document.head.append(meta);
      const decoder = new QrDecoder('zxing-wasm');
      try {
        const image = qrImageData(TEXT);
        const outcome = await decoder.decode(
          { rgba: image.data, width: image.width, height: image.height },
          'picture',
        );
        expect(outcome.text).to.equal(TEXT);
        expect(outcome.decoder).to.equal('zxing-wasm');
      } finally {
        decoder.close();
      }
    },
  );
});
