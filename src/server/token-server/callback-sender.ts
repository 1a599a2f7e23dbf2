import type { Logger } from 'pino';

/**
 * Posts Onegini's callback, `{callback_uri, transaction_id}`, to the client's allow-listed
 * callback URI once a transaction is answered. The result itself is fetched by the client, so
 * a lost callback costs time, not correctness: the client's long-poll sees the answer too.
 */
export function createCallbackSender(options: { logger: Logger; timeoutMs?: number }) {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return (callbackUri: string, transactionId: string): void => {
    fetch(callbackUri, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callback_uri: callbackUri, transaction_id: transactionId }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    }).then(
      (response) => {
        if (!response.ok) options.logger.warn({ status: response.status }, 'callback refused');
      },
      (error: unknown) => {
        options.logger.warn({ err: error }, 'callback failed');
      },
    );
  };
}
