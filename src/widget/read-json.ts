import { OtpLoginQrError } from './otp-login-qr-error.js';

/**
 * The largest body the element reads. A contract answer is a few hundred bytes (a 1 KiB `qr` at
 * most); anything bigger is a broken or hostile server, and is cut off instead of buffered.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024;

/** Reads a JSON body of at most `maxBytes`, or throws an {@link OtpLoginQrError}. */
export async function readJson(
  response: Response,
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<unknown> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes);
  }
  // Decoded as it arrives: a character split across two chunks is kept until its end comes.
  const decoder = new TextDecoder();
  let text = '';
  let length = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      text += decoder.decode(value, { stream: true });
    }
  }
  text += decoder.decode();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new OtpLoginQrError('malformed_response', 'The website did not answer with JSON.', {
      cause,
    });
  }
}

function tooLarge(maxBytes: number) {
  return new OtpLoginQrError(
    'response_too_large',
    `The website's answer is larger than ${maxBytes} bytes.`,
  );
}
