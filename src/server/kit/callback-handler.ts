import type { Context } from 'hono';
import { readTextUpTo } from '../security/bounded-body.js';
import type { ClientAddress } from './client-address.js';
import { callbackTaken, invalidCallback, notJson, rateLimited, tooLarge } from './kit-answers.js';
import type { KitRequestContext } from './kit-config.js';
import { secondsOverLimit, type KitRateLimits } from './kit-rate-limits.js';
import type { TransactionWaker } from './transaction-waker.js';

/** `POST {callback path}`: the Token Server's callback. */
export type CallbackHandler = (c: Context, context: KitRequestContext) => Promise<Response>;

/** The largest callback body the kit reads, in bytes. */
const CALLBACK_BODY_LIMIT = 4096;
const TRANSACTION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The Token Server's callback, `{callback_uri, transaction_id}` as JSON, when a phone answers.
 * It is unsigned, so it is a hint only: it wakes the polls that wait on that transaction, and
 * they read the result from the Token Server with the client credentials. A forged one costs a
 * read.
 */
export function callbackHandler(parts: {
  callbackUri: string;
  limits: KitRateLimits;
  waker: TransactionWaker;
  clientAddress: ClientAddress;
}): CallbackHandler {
  const { callbackUri, limits, waker, clientAddress } = parts;
  return async (c, context) => {
    const request = c.req.raw;
    const over = await secondsOverLimit(
      limits.callbackPerIp,
      clientAddress(request, context) ?? 'unknown',
    );
    if (over !== undefined) return rateLimited(c, over);
    // The Token Server sends JSON. Anything else (a cross-site form can post text/plain,
    // urlencoded or multipart without a preflight) is refused unread, and wakes nothing.
    if (!isJson(request.headers.get('content-type'))) return notJson(c);
    const text = await readTextUpTo(request, CALLBACK_BODY_LIMIT);
    if (text === undefined) return tooLarge(c);
    const fields = fieldsOf(text);
    const transactionId = fields['transaction_id'];
    if (
      fields['callback_uri'] !== callbackUri ||
      typeof transactionId !== 'string' ||
      !TRANSACTION_ID.test(transactionId)
    )
      return invalidCallback(c);
    waker.wake(transactionId);
    return callbackTaken(c);
  };
}

/** True for `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The fields of a JSON object; none for anything else. */
function fieldsOf(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}
