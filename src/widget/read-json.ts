import { OtpLoginQrError } from './otp-login-qr-error.js';

/**
 * The largest body the element reads. A contract answer is a few hundred bytes (a 1 KiB `qr` at
 * most); anything bigger is a broken or hostile server, and is cut off instead of buffered.
 * @internal
 */
export const MAX_RESPONSE_BYTES = 8 * 1024;

/**
 * Reads a JSON body of at most `maxBytes`, or throws an {@link OtpLoginQrError}.
 * @internal
 */
export async function readJson(
  response: Response,
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<unknown> {
  // Decoded as it arrives: a character split across two chunks is kept until its end comes.
  const decoder = new TextDecoder();
  let text = '';
  let length = 0;
  const reader = response.body?.getReader();
  for (let chunk; reader && !(chunk = await reader.read()).done;) {
    length += chunk.value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw new OtpLoginQrError(
        'response_too_large',
        `The website's answer is larger than ${maxBytes} bytes.`,
      );
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  try {
    return JSON.parse(text + decoder.decode()) as unknown;
  } catch (cause) {
    throw new OtpLoginQrError('malformed_response', 'The website did not answer with JSON.', {
      cause,
    });
  }
}
