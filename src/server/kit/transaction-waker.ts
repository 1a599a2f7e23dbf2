export type WakeReason = 'woken' | 'timeout' | 'aborted';

/**
 * Wakes the status requests that wait on a transaction when the Token Server's callback says it
 * was answered. Process-local: with several website instances, a callback wakes only the one it
 * reaches, and the others find out on their next read (they keep polling the Token Server).
 */
export class TransactionWaker {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Resolves on a wake-up for `transactionId`, after `ms`, or on abort — whichever comes first. */
  wait(transactionId: string, ms: number, signal?: AbortSignal): Promise<WakeReason> {
    return new Promise((resolve) => {
      const set = this.waiters.get(transactionId) ?? new Set<() => void>();
      this.waiters.set(transactionId, set);
      const finish = (reason: WakeReason) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        set.delete(onWake);
        if (set.size === 0 && this.waiters.get(transactionId) === set)
          this.waiters.delete(transactionId);
        resolve(reason);
      };
      const onWake = () => {
        finish('woken');
      };
      const onAbort = () => {
        finish('aborted');
      };
      const timer = setTimeout(
        () => {
          finish('timeout');
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(onWake);
      if (signal?.aborted) onAbort();
    });
  }

  wake(transactionId: string): number {
    const set = this.waiters.get(transactionId);
    if (set === undefined) return 0;
    const count = set.size;
    for (const done of [...set]) done();
    return count;
  }

  get waiting(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }
}
