/*
 * A phone for the mobile API contract: an ECDSA P-256 key made with WebCrypto, and calls signed
 * the way the SDK signs them (src/protocol/signed-request.ts), or spoiled in one chosen way.
 */
import {
  sha256Base64Url,
  signatureBaseString,
  SIGNATURE_HEADERS,
  toBase64Url,
} from '../../src/protocol/index.js';

export interface CallOptions {
  /** The phone's time to sign with, ms since the epoch. */
  readonly timestamp: number;
  readonly nonce?: string;
  /** The body as sent, instead of the JSON of `body`. */
  readonly rawBody?: string | Uint8Array;
  /** Signs this path instead of the one the call goes to. */
  readonly signedPath?: string;
  /** Signs this body instead of the one sent. */
  readonly signedBody?: unknown;
  /** Headers to set (or, with null, to leave out) after signing. */
  readonly headers?: Readonly<Record<string, string | null>>;
}

export class ContractPhone {
  /** The device id the server gave this phone; empty before it is linked. */
  deviceId = '';

  private constructor(
    private readonly privateKey: CryptoKey,
    /** The public key as the SDK sends it: `kty`, `crv`, `x` and `y` only. */
    readonly publicJwk: JsonWebKey,
  ) {}

  static async create(): Promise<ContractPhone> {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
    return new ContractPhone(keys.privateKey, { kty, crv, x, y });
  }

  /** A signed POST of `body` (JSON) to `url`; an enrollment call when the phone has no id yet. */
  async call(url: string, body: unknown, options: CallOptions): Promise<Request> {
    const raw = options.rawBody ?? JSON.stringify(body);
    const sent = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
    const signed =
      options.signedBody === undefined
        ? sent
        : new TextEncoder().encode(JSON.stringify(options.signedBody));
    const timestamp = String(options.timestamp);
    const nonce = options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const text = signatureBaseString({
      method: 'POST',
      pathAndQuery: options.signedPath ?? new URL(url).pathname,
      bodySha256: await sha256Base64Url(signed),
      timestamp,
      nonce,
      deviceId: this.deviceId,
    });
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      this.privateKey,
      new TextEncoder().encode(text),
    );
    const headers = new Headers({
      'Content-Type': 'application/json',
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.signature]: toBase64Url(new Uint8Array(signature)),
    });
    if (this.deviceId !== '') headers.set(SIGNATURE_HEADERS.deviceId, this.deviceId);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
    return new Request(url, { method: 'POST', headers, body: sent as BufferSource });
  }
}
