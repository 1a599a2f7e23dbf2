import type { DecoderName } from './decode-messages.js';
import { QrDecoderError } from './decoder-error.js';
import type { DecodeImage, QrReader } from './qr-reader.js';

/** Where a reader that loads on demand is: not asked for yet, on its way, there, or refused. */
export type LoadState = 'not-loaded' | 'loading' | 'ready' | 'failed';

/**
 * A reader fetched and compiled only when first wanted: the WebAssembly decoder is 400 KB gzip
 * and is not needed for most scans. A frame does not wait for it ({@link startLoading}); a
 * picture does ({@link loaded}). A load that failed is tried again only when a picture asks: a
 * camera frame never sets off a download again.
 */
export class LazyQrReader implements QrReader {
  private current: { state: LoadState; reader?: Promise<QrReader> } = { state: 'not-loaded' };

  constructor(
    readonly name: DecoderName,
    private readonly load: () => Promise<QrReader>,
  ) {}

  get state(): LoadState {
    return this.current.state;
  }

  /** Starts loading if nothing has yet; returns at once. */
  startLoading(): void {
    if (this.current.state === 'not-loaded') void this.loaded().catch(() => undefined);
  }

  /** The reader, loaded (again, after a failure) if need be. Throws {@link QrDecoderError}. */
  loaded(): Promise<QrReader> {
    if (this.current.reader !== undefined && this.current.state !== 'failed') {
      return this.current.reader;
    }
    const reader = this.load().then(
      (loaded) => {
        if (this.current.reader === reader) this.current = { state: 'ready', reader };
        return loaded;
      },
      (cause: unknown) => {
        if (this.current.reader === reader) this.current = { state: 'failed', reader };
        throw cause instanceof QrDecoderError
          ? cause
          : new QrDecoderError('unavailable', `The ${this.name} decoder could not be loaded.`, {
              cause,
            });
      },
    );
    this.current = { state: 'loading', reader };
    return reader;
  }

  async read(image: DecodeImage): Promise<string | null> {
    return (await this.loaded()).read(image);
  }
}
