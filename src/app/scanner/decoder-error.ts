/**
 * Why decoding did not happen (a picture without a code is not an error: its text is null).
 * - `closed`: the decoder was closed before it answered.
 * - `worker-failed`: the decoding worker itself failed (its script did not load or threw).
 * - `unavailable`: a decoder could not be loaded here (the WebAssembly one offline before it was
 *   cached, or under a Content-Security-Policy that forbids WebAssembly), or the browser has none
 *   (BarcodeDetector asked for by name).
 * - `failed`: the decoder threw while reading.
 */
export type DecoderProblem = 'closed' | 'worker-failed' | 'unavailable' | 'failed';

/** A decoder that failed, was closed, or is not there. */
export class QrDecoderError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly code: DecoderProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
