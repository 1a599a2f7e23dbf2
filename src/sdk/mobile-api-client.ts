import * as v from 'valibot';
import {
  BodyTooLargeError,
  MOBILE_API_ENDPOINTS,
  MOBILE_API_MAX_BODY_BYTES,
  mobileApiPath,
  MobileApiErrorBody,
  readTextUpTo,
  sdkErrorName,
  SDK_ERRORS,
  sha256Base64Url,
  signatureBaseString,
  SIGNATURE_HEADERS,
  type MobileAnswerRequest,
  type MobileAnswerResponse,
  type MobileApiEndpoint,
  type MobileEnrollPreviewResponse,
  type MobileEnrollRequest,
  type MobileEnrollResponse,
  type MobileRedeemResponse,
  type PasskeyAssertion,
  type PasskeyOptionsResponse,
  type PasskeyRegistrationResponse,
  type PasskeyRegisteredResponse,
  type SdkErrorCode,
} from '../protocol/index.js';
import { newNonce, signText } from './device-key.js';
import type { ResolvedConfig } from './resolved-config.js';
import { OneginiHttpError, OneginiNetworkError, oneginiError } from './onegini-error.js';
import type { ServerClock } from './server-clock.js';

/** The key that signs a call, and the device id it belongs to ('' for enrollment). */
export interface CallSigner {
  readonly privateKey: CryptoKey;
  readonly deviceId: string;
}

const MAX_ERROR_MESSAGE_LENGTH = 300;

/**
 * The most of an answer the SDK reads, in bytes: the mobile API's own cap on what it is sent. An
 * answer is a few hundred bytes; a longer one is a broken or hostile server, cut off unbuffered.
 */
const MAX_ANSWER_BYTES = MOBILE_API_MAX_BODY_BYTES;

/** What the SDK reads of an error body: any field may be missing (a proxy's 502, a 404). */
const ErrorBody = v.partial(MobileApiErrorBody);

/** An enrollment body as the SDK sends it: the public key as WebCrypto exported it. */
export type EnrollBody = Omit<MobileEnrollRequest, 'public_key'> & { public_key: JsonWebKey };

/**
 * The Token Server's mobile API over fetch. Every call is signed (fresh nonce, timestamp on the
 * server's clock), has a timeout, and fails with a typed OneginiError.
 *
 * None of these calls is idempotent: a second redeem of a code gets 9029 and its details are lost,
 * a second answer gets 9029, a second enrollment with a code gets 9016. So the client never resends
 * a call that may have reached the server. The one retry it makes is after 9031 (clock skew), which
 * the server decides before anything changes, and only when the answer taught it the server's time.
 */
export class MobileApiClient {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly clock: ServerClock,
  ) {}

  /**
   * What an enrollment code would link the device to, without linking it (signed, like the
   * enrollment, by the key that will be linked).
   */
  previewEnrollment(
    enrollmentId: string,
    body: Omit<EnrollBody, 'device_name'>,
    privateKey: CryptoKey,
  ): Promise<MobileEnrollPreviewResponse> {
    return this.call('previewEnrollment', enrollmentId, body, { privateKey, deviceId: '' });
  }

  /** Links the device key to the user of an enrollment code (signed by the new key itself). */
  enroll(
    enrollmentId: string,
    body: EnrollBody,
    privateKey: CryptoKey,
  ): Promise<MobileEnrollResponse> {
    return this.call('enroll', enrollmentId, body, { privateKey, deviceId: '' });
  }

  /** Redeems the OTP of a login code: marks it scanned and returns what the phone shows. */
  redeem(signer: CallSigner, transactionId: string, otp: string): Promise<MobileRedeemResponse> {
    return this.call('redeem', transactionId, { otp }, signer);
  }

  /**
   * The user's answer to what the phone showed: `shown` is `shownDigest()` of the redeem answer,
   * and `number` the picked number for number matching.
   */
  answer(
    signer: CallSigner,
    transactionId: string,
    answer: Omit<MobileAnswerRequest, 'number' | 'user_verification'> & {
      readonly number?: string | undefined;
      readonly user_verification?: PasskeyAssertion | undefined;
    },
  ): Promise<MobileAnswerResponse> {
    const body: MobileAnswerRequest = {
      answer: answer.answer,
      ...(answer.number === undefined ? {} : { number: answer.number }),
      shown: answer.shown,
      ...(answer.user_verification === undefined
        ? {}
        : { user_verification: answer.user_verification }),
    };
    return this.call('answer', transactionId, body, signer);
  }

  /** The options to make this device's passkey with (the server's challenge, a few minutes). */
  passkeyOptions(signer: CallSigner): Promise<PasskeyOptionsResponse> {
    return this.call('passkeyOptions', signer.deviceId, {}, signer);
  }

  /** Registers the passkey made with {@link passkeyOptions}; it replaces any earlier one. */
  registerPasskey(
    signer: CallSigner,
    registration: PasskeyRegistrationResponse,
  ): Promise<PasskeyRegisteredResponse> {
    return this.call('registerPasskey', signer.deviceId, { registration }, signer);
  }

  /**
   * One call of the contract (src/protocol's MOBILE_API_ENDPOINTS): its answer, checked against
   * the endpoint's response schema, or a OneginiError.
   */
  private async call<E extends MobileApiEndpoint>(
    endpoint: E,
    id: string,
    body: unknown,
    signer: CallSigner,
  ): Promise<v.InferOutput<(typeof MOBILE_API_ENDPOINTS)[E]['response']>> {
    const { status, response } = MOBILE_API_ENDPOINTS[endpoint];
    const json = await this.send(endpoint, id, body, signer, status);
    return parseAnswer(response, json);
  }

  private async send(
    endpoint: MobileApiEndpoint,
    id: string,
    body: unknown,
    signer: CallSigner,
    expectedStatus: number,
  ): Promise<unknown> {
    const url = new URL(`${this.config.tokenServerUrl}${mobileApiPath(endpoint, id)}`);
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const bodySha256 = await sha256Base64Url(bytes);
    for (let attempt = 1; ; attempt++) {
      const sentAt = Date.now();
      const response = await this.fetch(url, bytes, await this.sign(url, bodySha256, signer));
      const learned = this.clock.observe(response.headers.get('Date'), sentAt, Date.now());
      if (response.status === expectedStatus) return readJson(response);
      const error = await httpError(response);
      const clockRefused = error.code === SDK_ERRORS.INVALID_DATETIME.code;
      if (!(clockRefused && learned && attempt === 1)) throw error;
    }
  }

  private async sign(url: URL, bodySha256: string, signer: CallSigner): Promise<Headers> {
    const timestamp = String(Math.round(this.clock.now())).padStart(13, '0');
    const nonce = newNonce();
    const baseString = signatureBaseString({
      method: 'POST',
      pathAndQuery: url.pathname + url.search,
      bodySha256,
      timestamp,
      nonce,
      deviceId: signer.deviceId,
    });
    const headers = new Headers({
      'Content-Type': 'application/json',
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.signature]: await signText(signer.privateKey, baseString),
    });
    if (signer.deviceId !== '') headers.set(SIGNATURE_HEADERS.deviceId, signer.deviceId);
    return headers;
  }

  /** One fetch with a timeout; a failure to get any answer becomes a OneginiNetworkError. */
  private async fetch(url: URL, body: Uint8Array, headers: Headers): Promise<Response> {
    const controller = new AbortController();
    const timeoutMs = this.config.requestTimeoutMs;
    const timer = setTimeout(() => {
      controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
    }, timeoutMs);
    try {
      return await this.config.fetch(url, {
        method: 'POST',
        headers,
        body: body as BufferSource,
        signal: controller.signal,
        credentials: 'omit',
        redirect: 'error',
      });
    } catch (cause) {
      if (controller.signal.aborted) {
        throw new OneginiNetworkError(
          'timeout',
          `The Token Server did not answer within ${timeoutMs} ms.`,
          { cause },
        );
      }
      const offline = typeof navigator !== 'undefined' && !navigator.onLine;
      throw new OneginiNetworkError(
        offline ? 'offline' : 'unreachable',
        offline ? 'The device is offline.' : 'The Token Server could not be reached.',
        { cause },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * An answer's body as text, at most {@link MAX_ANSWER_BYTES}; a longer one, or one that breaks
 * off, is a GENERAL_ERROR OneginiError (a body refused for its declared length is cancelled unread).
 */
async function readAnswerText(response: Response): Promise<string> {
  try {
    return await readTextUpTo(response, MAX_ANSWER_BYTES);
  } catch (cause) {
    if (!(cause instanceof BodyTooLargeError)) {
      throw oneginiError('GENERAL_ERROR', "The Token Server's answer could not be read.", {
        cause,
      });
    }
    if (cause.declared) await response.body?.cancel().catch(() => undefined);
    throw oneginiError(
      'GENERAL_ERROR',
      `The Token Server's answer is larger than ${MAX_ANSWER_BYTES} bytes.`,
      { cause },
    );
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await readAnswerText(response);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw oneginiError('GENERAL_ERROR', 'The Token Server answered with something not JSON.', {
      cause,
    });
  }
}

function parseAnswer<S extends v.GenericSchema>(schema: S, json: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const field = v.getDotPath(result.issues[0]) ?? 'body';
    throw oneginiError('GENERAL_ERROR', `The Token Server's answer has an invalid ${field}.`);
  }
  return result.output;
}

/** An error status as a OneginiHttpError with the server's `error_code` where it is one of ours. */
async function httpError(response: Response): Promise<OneginiHttpError> {
  let body: v.InferOutput<typeof ErrorBody> = {};
  try {
    const parsed = v.safeParse(ErrorBody, JSON.parse(await readAnswerText(response)));
    if (parsed.success) body = parsed.output;
  } catch {
    // A body that is not JSON (a proxy's error page), or too large: the status alone decides.
  }
  const code = codeFor(response.status, body.error_code);
  const retryAfter = Number(response.headers.get('Retry-After') ?? Number.NaN);
  const description =
    typeof body.error_description === 'string' && body.error_description !== ''
      ? body.error_description.slice(0, MAX_ERROR_MESSAGE_LENGTH)
      : `The Token Server answered ${response.status}.`;
  return new OneginiHttpError(code, description, {
    status: response.status,
    ...(body.error === undefined ? {} : { error: body.error }),
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  });
}

function codeFor(status: number, errorCode: number | undefined): SdkErrorCode {
  if (errorCode !== undefined) {
    const name = sdkErrorName(errorCode);
    if (name !== undefined) return SDK_ERRORS[name].code;
  }
  if (status === 429) return SDK_ERRORS.RATE_LIMITED.code;
  if (status === 502 || status === 503 || status === 504) {
    return SDK_ERRORS.SERVER_NOT_REACHABLE.code;
  }
  return SDK_ERRORS.GENERAL_ERROR.code;
}
