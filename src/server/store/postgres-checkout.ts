import type { PoolClient } from 'pg';

/**
 * Keeps a connection that is checked out of the pool from crashing the process when PostgreSQL
 * drops it (a crash, a restart, `pg_terminate_backend`). pg emits the loss as an `error` event on
 * the client; the pool listens for it only while the client is idle, and an `error` event that
 * nobody hears is thrown by Node. The query that was running fails with the same error, and that
 * failure is what the store reports, so the event itself needs no more than to be heard.
 *
 * Returns the function that stops hearing, to call before the client goes back to the pool.
 */
export function hearLossWhileCheckedOut(client: PoolClient): () => void {
  const heard = (): void => undefined;
  client.on('error', heard);
  return () => {
    client.off('error', heard);
  };
}
