import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';

export interface CallbackSenderOptions {
  logger: Logger;
  /** Time for one attempt, connection to response. */
  timeoutMs?: number;
  /** Attempts in all, for a network failure or a 5xx answer. */
  attempts?: number;
  /** Wait before the second attempt; doubled for each attempt after it. */
  retryDelayMs?: number;
  /**
   * How long a kept-alive connection may sit idle before it is closed: 4 s by default, below the
   * 5 s that Node's and most servers' keep-alive timeouts default to. A website's `Keep-Alive:
   * timeout=n` answer shortens it to n − 1 s.
   */
  idleSocketMs?: number;
  /**
   * Certificates (PEM) to trust for https callback URIs, in place of Node's bundled CAs: for a
   * website whose certificate no public CA signed, such as `npm start -- --https`'s self-signed
   * one. Verification itself stays on; a certificate that is not trusted loses the callback.
   */
  ca?: string | Buffer | (string | Buffer)[];
}

/**
 * Posts Onegini's callback, `{callback_uri, transaction_id}`, to the client's allow-listed
 * callback URI once a transaction is answered. The result itself is fetched by the client with
 * its credentials, so the callback is a wake-up call, not a carrier of truth: a lost one costs
 * time, not correctness. It is still retried (network failure or 5xx, with backoff), since a
 * website that waits only for callbacks would otherwise miss the answer.
 *
 * node:http with keep-alive agents, not fetch: a callback goes out for every answer, and fetch's
 * per-request machinery was a tenth of the server's CPU under load (docs/benchmarks.md). Neither
 * follows redirects, so an allow-listed URI cannot bounce the callback elsewhere.
 *
 * Idle connections close before the website's end does: a callback sent on a connection that the
 * website is closing at that moment fails ("socket hang up") and waits for its retry. Node's agent
 * keeps an idle socket for ever unless it has a timeout, and takes the website's own hint only
 * then.
 */
export function createCallbackSender(options: CallbackSenderOptions) {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const pool = { keepAlive: true, maxSockets: 64, timeout: options.idleSocketMs ?? 4_000 };
  const agents = {
    'http:': new HttpAgent(pool),
    'https:': new HttpsAgent({ ...pool, ca: options.ca }),
  };

  function attempt(url: URL, body: string): Promise<number> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const requestOptions: RequestOptions = {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
      timeout: timeoutMs,
    };
    return new Promise((resolve, reject) => {
      const request = send(url, requestOptions, (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('callback timed out')));
      request.on('error', reject);
      request.end(body);
    });
  }

  async function deliver(callbackUri: string, transactionId: string): Promise<void> {
    const url = new URL(callbackUri);
    const body = JSON.stringify({ callback_uri: callbackUri, transaction_id: transactionId });
    for (let round = 1; ; round += 1) {
      let retryable: boolean;
      try {
        const status = await attempt(url, body);
        if (status >= 200 && status < 300) return;
        retryable = status >= 500;
        options.logger.warn({ status, attempt: round }, 'callback refused');
      } catch (error) {
        retryable = true;
        options.logger.warn({ err: error, attempt: round }, 'callback failed');
      }
      if (!retryable || round >= attempts) return;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (round - 1)).unref());
    }
  }

  const send = (callbackUri: string, transactionId: string): void => {
    void deliver(callbackUri, transactionId);
  };
  /** Closes idle keep-alive sockets, for shutdown. */
  send.close = (): void => {
    agents['http:'].destroy();
    agents['https:'].destroy();
  };
  return send;
}
