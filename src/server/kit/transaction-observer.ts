import { PRESENCE_TRIES } from '../../protocol/index.js';
import type { Observation } from './kit-flow.js';
import type { LoginRecord } from './login-store.js';
import type { RelyingPartyClient, TransactionResult } from './relying-party-client.js';
import type { ResultWaitBatcher } from './result-wait-batcher.js';
import type { TransactionWaker } from './transaction-waker.js';

/** Learns a login's status from the Token Server: the loop behind a held poll of a login. */
export type TransactionObserver = (
  record: LoginRecord,
  waitSeconds: number,
  signal: AbortSignal,
) => Promise<Observation>;

/**
 * Waits for a login's Token Server transaction to leave `record.status`, in the best way the
 * server allows: in a batched long-poll (the reference server), else in one long-poll a login
 * (`?wait=N&status=S`), else by reading it every `upstreamPollMs`, or at once when the Token
 * Server's callback wakes it.
 */
export function transactionObserver(parts: {
  client: RelyingPartyClient;
  batcher: ResultWaitBatcher;
  waker: TransactionWaker;
  upstreamPollMs: number;
}): TransactionObserver {
  const { client, batcher, waker, upstreamPollMs } = parts;
  return async (record, wait, signal) => {
    const deadline = performance.now() + wait * 1000;
    if (client.longPollMode === 'auto' && batcher.available && wait >= 1) {
      const outcome = await batcher.wait(record.transactionId, record.status, wait * 1000, signal);
      if (outcome.kind === 'unchanged') return { status: record.status };
      if (outcome.kind === 'changed') return observationOf(outcome.result);
      // read-alone: the batch could not tell; this login's own read below says what it is.
    }
    for (;;) {
      // Whole seconds left (rounded up from 0.9 s: time already spent in this handler).
      const waitSeconds = Math.floor((deadline - performance.now() + 100) / 1000);
      const longPoll = client.supportsLongPoll !== false && waitSeconds >= 1;
      const result = await client.result(record.transactionId, {
        wait: longPoll ? waitSeconds : 0,
        knownStatus: record.status,
        expiresAt: record.expiresAt,
        signal,
      });
      const changed = result.status !== record.status;
      const done =
        changed ||
        signal.aborted ||
        (longPoll && client.supportsLongPoll === true) ||
        deadline - performance.now() < 50;
      if (done) return observationOf(result);
      // No long-poll on this server: read again soon, or at once when the callback arrives.
      const reason = await waker.wait(
        record.transactionId,
        Math.min(upstreamPollMs, deadline - performance.now()),
        signal,
      );
      if (reason === 'aborted') return { status: result.status };
    }
  };
}

/**
 * A result as a poll reports it: the user only once the login is authenticated; the tries left of
 * a proof of presence only after a wrong code (the page need not count down from the start).
 */
export function observationOf(result: TransactionResult): Observation {
  const triesLeft = result.status === 'confirm' ? result.presenceTriesLeft : undefined;
  return {
    status: result.status,
    ...(result.isAuthenticated && result.userId !== null ? { userId: result.userId } : {}),
    ...(triesLeft !== undefined && triesLeft < PRESENCE_TRIES ? { triesLeft } : {}),
  };
}
