import type { LoginStatus } from '../../protocol/index.js';
import type { RateCounters } from '../security/rate-counters.js';
import { StoreError } from '../store/store-error.js';

/** What a login started by this website is: passwordless, second factor, or linking a phone. */
export type LoginFlow = 'login' | 'second_factor' | 'enrollment';

/** One login (or enrollment) that a browser started, as the kit keeps it. */
export interface LoginRecord {
  flow: LoginFlow;
  /** The Token Server's transaction id, or the enrollment id. Never sent to the browser. */
  transactionId: string;
  /** SHA-256 (hex) of the binding secret in the browser's cookie; the secret itself is not kept. */
  bindingHash: string;
  /** Epoch milliseconds when the Token Server stops accepting an answer. */
  expiresAt: number;
  /** The last status the kit saw; the next long-poll waits for a change from it. */
  status: LoginStatus;
  /** Second factor and enrollment: the website's user this login is for. */
  userId?: string;
  /** Enrollment, while `confirm`: the code the phone shows, which the page shows beside it. */
  compareCode?: string;
  /** Proof of presence, while `confirm`: the codes the browser may still type, when known. */
  triesLeft?: number;
  /**
   * Epoch milliseconds: a confirmation of this login is on its way to the Token Server until
   * then, and it, not a poll held meanwhile, hands the browser its session (see
   * login-settlement.ts).
   */
  confirmingUntil?: number;
}

/**
 * Where the kit keeps logins between the start and the status calls. The default keeps them in
 * this process's memory; a website with several instances behind a load balancer stores them in
 * a shared store (and routes a browser's polls anywhere). test/kit/login-store-contract.ts holds
 * the one test suite that every LoginStore passes.
 *
 * A store fails with a `StoreError`: `full` when it takes no new logins (the kit answers 503
 * busy), `unreadable` for a value under a login's key that it did not write (never read as a
 * login), `unavailable` when its backend cannot be reached.
 */
export interface LoginStore {
  get(id: string): Promise<LoginRecord | undefined>;
  /**
   * Stores or replaces a login; the store forgets it at `forgetAt` (epoch ms), and at once when
   * that has passed. Fails with `full`, and keeps every login it holds, when it has no room.
   */
  put(id: string, record: LoginRecord, forgetAt: number): Promise<void>;
  /**
   * Removes a login and returns it; of two concurrent calls, exactly one gets the record. This is
   * what makes an accepted login log the browser in once.
   */
  take(id: string): Promise<LoginRecord | undefined>;
  /**
   * Replaces a login that is still kept, and does nothing when it is gone. A poll that read the
   * login before another instance took it must not bring it back: the next poll would log the
   * browser in a second time.
   */
  replace(id: string, record: LoginRecord, forgetAt: number): Promise<void>;
  /**
   * Rate-limit counters that every instance on this store shares, so that n instances allow what
   * one would. Without it, the kit counts in this process.
   */
  sharedRateCounters?: RateCounters;
}

export interface MemoryLoginStoreOptions {
  /** At most this many logins at a time; a start beyond it is refused. Default 10 000. */
  maxEntries?: number;
  clock?: () => number;
}

/** A bounded in-memory {@link LoginStore} whose entries expire. One process only. */
export class MemoryLoginStore implements LoginStore {
  private readonly entries = new Map<string, { record: LoginRecord; forgetAt: number }>();
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: MemoryLoginStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new TypeError('maxEntries must be a positive integer.');
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): Promise<LoginRecord | undefined> {
    const entry = this.entries.get(id);
    if (entry === undefined) return Promise.resolve(undefined);
    if (entry.forgetAt <= this.clock()) {
      this.entries.delete(id);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry.record);
  }

  put(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    if (!this.entries.has(id) && this.entries.size >= this.maxEntries) {
      this.sweep();
      // Refuse rather than evict: evicting would let a flood of starts push out real logins.
      if (this.entries.size >= this.maxEntries)
        return Promise.reject(new StoreError('full', 'Too many logins are in progress.'));
    }
    this.entries.set(id, { record, forgetAt });
    return Promise.resolve();
  }

  take(id: string): Promise<LoginRecord | undefined> {
    const entry = this.entries.get(id);
    // get-and-delete in one synchronous step: no other caller can run in between.
    this.entries.delete(id);
    if (entry === undefined || entry.forgetAt <= this.clock()) return Promise.resolve(undefined);
    return Promise.resolve(entry.record);
  }

  replace(id: string, record: LoginRecord, forgetAt: number): Promise<void> {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.forgetAt > this.clock())
      this.entries.set(id, { record, forgetAt });
    return Promise.resolve();
  }

  private sweep(): void {
    const now = this.clock();
    for (const [id, entry] of this.entries) if (entry.forgetAt <= now) this.entries.delete(id);
  }
}
