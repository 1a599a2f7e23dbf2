/*
 * A phone for the load bench: the same signed requests as the SDK's (src/protocol/signed-request.ts),
 * made with node:crypto instead of WebCrypto. The load generator shares two cores with the server,
 * so its own cost per request is kept as low as it goes: a synchronous sign, no Request objects.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { signatureBaseString, SIGNATURE_HEADERS } from '../../src/protocol/index.js';
import type { TestDevice } from '../../test/support/test-device.js';

export interface BenchPhone extends TestDevice {
  /** The headers of a signed JSON POST of `text` to `url` (for load generators that send them). */
  signedHeaders(url: string, text: string): Record<string, string>;
  /** POSTs `body` as JSON to `url`, signed by this phone; resolves to the status and JSON body. */
  post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

export function createBenchPhone(): BenchPhone {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const phone: BenchPhone = {
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    deviceId: '',
    signedRequest(url, body, options = {}) {
      const text = JSON.stringify(body);
      const headers = signedHeaders(
        privateKey,
        url,
        text,
        options.anonymous ? '' : phone.deviceId,
        {
          timestamp: options.timestamp,
          nonce: options.nonce,
        },
      );
      return Promise.resolve(new Request(url, { method: 'POST', headers, body: text }));
    },
    signedHeaders(url, text) {
      return signedHeaders(privateKey, url, text, phone.deviceId, {});
    },
    async post(url, body) {
      const text = JSON.stringify(body);
      const response = await fetch(url, {
        method: 'POST',
        headers: signedHeaders(privateKey, url, text, phone.deviceId, {}),
        body: text,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
  return phone;
}

function signedHeaders(
  privateKey: KeyObject,
  url: string,
  body: string,
  deviceId: string,
  options: { timestamp?: number | undefined; nonce?: string | undefined },
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Date.now());
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const base = signatureBaseString({
    method: 'POST',
    // The path and query: everything from the first slash after "http://host".
    pathAndQuery: url.slice(url.indexOf('/', url.indexOf('//') + 2)),
    bodySha256: createHash('sha256').update(body).digest('base64url'),
    timestamp,
    nonce,
    deviceId,
  });
  const signature = sign('sha256', Buffer.from(base), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signature.toString('base64url'),
  };
  if (deviceId !== '') headers[SIGNATURE_HEADERS.deviceId] = deviceId;
  return headers;
}
