import { channel } from 'node:diagnostics_channel';
import type { Store } from '../store/store.js';

/**
 * For observation only (tests, metrics): `{ size }`, the waits a StatusWaiter holds, each time
 * one is taken up or ends. Publishing costs nothing while nobody subscribes.
 */
export const heldWaitsChannel = channel('otp-login-qr:token-server:held-waits');

/**
 * Holds long-poll waits on transactions. One subscription to the store's change feed serves
 * every wait, keyed by transaction, so that thousands of held waits cost a map entry and a timer
 * each. A change on any instance (Redis pub/sub) wakes the waits held here.
 */
export class StatusWaiter {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;
  private stoppedFlag = false;

  constructor(store: Store) {
    const stopChanges = store.onTransactionChange((key) => {
      this.wake(key);
    });
    // After a gap in the change feed, every wait reads its transaction again: a change made on
    // another instance during the gap would otherwise be seen only at the wait's time-out.
    const stopResumes = store.onChangeFeedResumed?.(() => {
      this.wakeAll();
    });
    this.unsubscribe = () => {
      stopChanges();
      stopResumes?.();
    };
  }

  /** True once the server is shutting down: waits end at once and are not taken up again. */
  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** How many waits are held now. */
  get size(): number {
    let count = 0;
    for (const set of this.waiting.values()) count += set.size;
    return count;
  }

  /**
   * Resolves when the transaction `key` changes, after `timeoutMs`, or when `signal` aborts,
   * whichever comes first. The caller reads the transaction again afterwards.
   */
  wait(key: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.waitAny([key], timeoutMs, signal);
  }

  /**
   * Resolves when any of the transactions `keys` changes, after `timeoutMs`, or when `signal`
   * aborts. One held request then waits on many transactions for the price of a map entry each
   * (the batched wait of the relying-party API). Resolves to true when a change woke it.
   */
  waitAny(keys: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted || this.stoppedFlag || keys.length === 0) {
        resolve(false);
        return;
      }
      const finish = (changed: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        for (const key of keys) {
          const set = this.waiting.get(key);
          set?.delete(done);
          if (set?.size === 0) this.waiting.delete(key);
        }
        this.publishSize();
        resolve(changed);
      };
      const done = (): void => {
        finish(true);
      };
      const timer = setTimeout(
        () => {
          finish(false);
        },
        Math.max(0, timeoutMs),
      );
      const aborted = (): void => {
        finish(false);
      };
      signal?.addEventListener('abort', aborted, { once: true });
      for (const key of keys) {
        let set = this.waiting.get(key);
        if (set === undefined) {
          set = new Set();
          this.waiting.set(key, set);
        }
        set.add(done);
      }
      this.publishSize();
    });
  }

  /** Ends every wait now and refuses new ones: on shutdown, so that each held request gets its answer. */
  releaseAll(): void {
    this.stoppedFlag = true;
    for (const key of [...this.waiting.keys()]) this.wake(key);
  }

  close(): void {
    this.releaseAll();
    this.unsubscribe();
  }

  /** Tells `heldWaitsChannel`'s subscribers, if any, how many waits are held now. */
  private publishSize(): void {
    if (heldWaitsChannel.hasSubscribers) heldWaitsChannel.publish({ size: this.size });
  }

  /** Wakes every held wait (each reads its transaction again and, if unchanged, waits on). */
  private wakeAll(): void {
    for (const key of [...this.waiting.keys()]) this.wake(key);
  }

  private wake(key: string): void {
    const set = this.waiting.get(key);
    if (set === undefined) return;
    for (const done of [...set]) done();
  }
}
