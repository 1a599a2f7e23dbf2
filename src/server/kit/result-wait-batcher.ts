import type { LoginStatus } from '../../protocol/index.js';
import { KitError } from './kit-errors.js';
import type { RelyingPartyClient, TransactionResult } from './relying-party-client.js';

/**
 * How a batched wait ended for one login: its status changed (with the new result), its own
 * time ran out first, or the batch could not tell (no batched long-poll on this server, a failed
 * call, an id the server does not know): then the caller reads that login on its own, which
 * reports any error the usual way.
 */
export type BatchedWaitOutcome =
  { kind: 'changed'; result: TransactionResult } | { kind: 'unchanged' } | { kind: 'read-alone' };

export interface ResultWaitBatcherOptions {
  /** How long newcomers are gathered before they go out. Default 20 ms. */
  gatherMs?: number;
  /** The seconds each batch asks the server to hold. Default 25. */
  waitSeconds?: number;
  /**
   * Logins a request. Default 50 (the reference server takes up to 250). A batch answers when any
   * of its logins changes, and the rest go out again: smaller batches cost the server less a
   * change, larger ones fewer connections. 50 holds 10,000 logins in 200 connections (about 2 MB
   * on the server) while a change costs about what one login's own long-poll costs.
   */
  maxBatch?: number;
}

/** The pause before asking again when the server let a batch go early with nothing changed. */
const LET_GO_PAUSE_MS = 1000;

type Settle = (outcome: BatchedWaitOutcome) => void;

interface Watch {
  known: LoginStatus;
  waiters: Set<Settle>;
}

interface HeldBatch {
  ids: string[];
  /** The status each login had when the batch went out. */
  known: Map<string, LoginStatus>;
  controller: AbortController;
}

/**
 * Holds the website's waits on the Token Server in a few batched long-polls instead of one
 * request a login: a website with 10,000 logins on screen holds 200 connections to the Token
 * Server, not 10,000 (each costs the server about 10 KiB; a login in a batch, a map entry).
 *
 * Newcomers are gathered for `gatherMs`, then sent together with the logins of the one batch
 * that still has room: that batch is aborted and sent again, merged, so every batch but the last
 * is full. Nothing is missed in between: each batch carries the status the kit knows, and the
 * server answers at once for any login whose status differs.
 */
export class ResultWaitBatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly unsent = new Set<string>();
  private readonly held = new Set<HeldBatch>();
  /** The held batch each login is in. */
  private readonly heldBy = new Map<string, HeldBatch>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** False once the server showed it lacks the batched long-poll; true once a batch worked. */
  private supported: boolean | undefined;
  private readonly gatherMs: number;
  private readonly waitSeconds: number;
  private readonly maxBatch: number;

  constructor(
    private readonly client: RelyingPartyClient,
    options: ResultWaitBatcherOptions = {},
  ) {
    this.gatherMs = options.gatherMs ?? 20;
    this.waitSeconds = options.waitSeconds ?? 25;
    this.maxBatch = options.maxBatch ?? 50;
  }

  /** False once the Token Server showed it has no batched long-poll. */
  get available(): boolean {
    return this.supported !== false;
  }

  /** Held batch requests now (for tests and metrics). */
  get heldRequests(): number {
    return this.held.size;
  }

  /**
   * Waits until login `transactionId` has a status other than `known`, for at most `ms`, or until
   * `signal` aborts (then it ends `unchanged`).
   */
  wait(
    transactionId: string,
    known: LoginStatus,
    ms: number,
    signal: AbortSignal,
  ): Promise<BatchedWaitOutcome> {
    return new Promise((resolve) => {
      const watch = this.watches.get(transactionId) ?? { known, waiters: new Set() };
      // Another wait on the same login that knows another status: this one reads alone.
      if (watch.known !== known || !this.available) {
        resolve({ kind: 'read-alone' });
        return;
      }
      const settle: Settle = (outcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        watch.waiters.delete(settle);
        if (watch.waiters.size === 0 && this.watches.get(transactionId) === watch) {
          this.watches.delete(transactionId);
          this.dropIfUnwatched(this.heldBy.get(transactionId));
        }
        resolve(outcome);
      };
      const onAbort = () => {
        settle({ kind: 'unchanged' });
      };
      const timer = setTimeout(onAbort, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
      watch.waiters.add(settle);
      if (!this.watches.has(transactionId)) {
        this.watches.set(transactionId, watch);
        if (!this.isHeld(transactionId, known)) this.enqueue(transactionId);
      }
      if (signal.aborted) onAbort();
    });
  }

  /** Whether a held batch already waits on this login with this known status. */
  private isHeld(transactionId: string, known: LoginStatus): boolean {
    return this.heldBy.get(transactionId)?.known.get(transactionId) === known;
  }

  private isQueued(transactionId: string): boolean {
    return this.unsent.has(transactionId) || this.heldBy.has(transactionId);
  }

  /** Takes a batch out of the held ones; false when it was already out (merged or dropped). */
  private release(batch: HeldBatch): boolean {
    if (!this.held.delete(batch)) return false;
    for (const id of batch.ids) if (this.heldBy.get(id) === batch) this.heldBy.delete(id);
    return true;
  }

  /** A batch nobody waits on any more is let go: the Token Server need not hold it. */
  private dropIfUnwatched(batch: HeldBatch | undefined): void {
    if (batch === undefined || batch.ids.some((id) => this.watches.has(id))) return;
    if (this.release(batch)) batch.controller.abort();
  }

  private enqueue(transactionId: string): void {
    this.unsent.add(transactionId);
    this.flushTimer ??= setTimeout(() => {
      this.flush();
    }, this.gatherMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    // The batch with room goes out again, merged with the newcomers.
    for (const batch of [...this.held]) {
      if (batch.ids.length >= this.maxBatch) continue;
      this.release(batch);
      batch.controller.abort();
      for (const id of batch.ids) this.unsent.add(id);
    }
    const ids = [...this.unsent].filter((id) => this.watches.has(id));
    this.unsent.clear();
    for (let start = 0; start < ids.length; start += this.maxBatch) {
      this.send(ids.slice(start, start + this.maxBatch));
    }
  }

  private send(ids: string[]): void {
    const known = new Map<string, LoginStatus>();
    for (const id of ids) {
      const watch = this.watches.get(id);
      if (watch) known.set(id, watch.known);
    }
    const batch: HeldBatch = { ids, known, controller: new AbortController() };
    this.held.add(batch);
    for (const id of ids) this.heldBy.set(id, batch);
    const sentAt = performance.now();
    this.client.waitForChanges(known, this.waitSeconds, batch.controller.signal).then(
      (answer) => {
        if (!this.release(batch)) return; // merged into a newer batch, or dropped, meanwhile
        this.supported = true;
        for (const [id, result] of answer.changed) this.settleAll(id, { kind: 'changed', result });
        for (const id of answer.unknown) this.settleAll(id, { kind: 'read-alone' });
        const left = ids.filter((id) => this.watches.has(id));
        // Nothing changed, and at once: a server shutting down lets its waits go. Ask again in a
        // second, not in a tight loop.
        const letGo =
          answer.changed.size === 0 &&
          answer.unknown.length === 0 &&
          performance.now() - sentAt < LET_GO_PAUSE_MS;
        if (letGo)
          setTimeout(() => {
            for (const id of left) if (this.watches.has(id) && !this.isQueued(id)) this.enqueue(id);
          }, LET_GO_PAUSE_MS).unref();
        else for (const id of left) this.enqueue(id);
      },
      (error: unknown) => {
        if (!this.release(batch)) return;
        if (this.supported === undefined && lacksBatchedWait(error)) this.supported = false;
        for (const id of ids) this.settleAll(id, { kind: 'read-alone' });
      },
    );
  }

  private settleAll(transactionId: string, outcome: BatchedWaitOutcome): void {
    const watch = this.watches.get(transactionId);
    if (watch === undefined) return;
    this.watches.delete(transactionId);
    for (const settle of [...watch.waiters]) settle(outcome);
  }
}

/** What a server without the extension answers to its path: not found, or not allowed. */
function lacksBatchedWait(error: unknown): boolean {
  return (
    error instanceof KitError &&
    (error.code === 'token_server_refused' || error.code === 'token_server_bad_response') &&
    (error.status === 400 || error.status === 404 || error.status === 405)
  );
}
