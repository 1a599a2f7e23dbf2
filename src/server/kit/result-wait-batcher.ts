import type { LoginStatus } from '../../protocol/index.js';
import { KitError } from './kit-errors.js';
import type { RelyingPartyClient, TransactionResult } from './relying-party-client.js';

/**
 * How a batched wait ended for one login: its status changed (with the new result), its own
 * time ran out first, or the batch could not tell (no batched long-poll on this server, an id the
 * server does not know): then the caller reads that login on its own, which reports any error
 * the usual way.
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
  /** Hears batch calls that failed (they are tried again after a pause). */
  onError?: (error: unknown) => void;
}

/**
 * A batch with room is merged with newcomers (aborted and sent again) only once it has been held
 * this long. Younger ones are left alone and the newcomers go out in a batch of their own, so a
 * steady stream of newcomers cannot keep aborting a batch before its answer can come back.
 */
const MERGE_AFTER_MS = 500;
/** A batch this close to the end of its wait is left to end by itself, not aborted. */
const LET_END_WITHIN_MS = 2000;
/** The pause before asking again when the server let a batch go early with nothing changed. */
const LET_GO_PAUSE_MS = 1000;
/** After a failed batch call, its logins go out again after this pause, doubled up to 8 s. */
const RETRY_PAUSES_MS = [1000, 2000, 4000, 8000];
/** After the server showed it lacks the batched wait, ask it again after this long. */
const PROBE_AGAIN_MS = 10 * 60_000;

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
  sentAt: number;
}

/**
 * Holds the website's waits on the Token Server in a few batched long-polls instead of one
 * request a login: a website with 10,000 logins on screen holds about 200 connections to the
 * Token Server, not 10,000 (each costs the server about 10 KiB; a login in a batch, a map entry).
 *
 * Newcomers are gathered for `gatherMs`, then sent together with the logins of the batches that
 * still have room and have been held for at least half a second: those are aborted and sent
 * again, merged, their logins first. Nothing is missed in between: each batch carries the status
 * the kit knows, and the server answers at once for any login whose status differs.
 */
export class ResultWaitBatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly unsent = new Set<string>();
  private readonly held = new Set<HeldBatch>();
  /** The held batch each login is in. */
  private readonly heldBy = new Map<string, HeldBatch>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private consolidateTimer: ReturnType<typeof setTimeout> | undefined;
  /** False while the server is known to lack the batched long-poll; true once a batch worked. */
  private supported: boolean | undefined;
  private probeAgainAt = 0;
  private failuresInARow = 0;
  private readonly gatherMs: number;
  private readonly waitSeconds: number;
  private readonly maxBatch: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly client: RelyingPartyClient,
    options: ResultWaitBatcherOptions = {},
  ) {
    this.gatherMs = options.gatherMs ?? 20;
    this.waitSeconds = options.waitSeconds ?? 25;
    this.maxBatch = options.maxBatch ?? 50;
    this.onError = options.onError ?? (() => undefined);
  }

  /** False while the Token Server is known to have no batched long-poll (asked again later). */
  get available(): boolean {
    if (this.supported === false && performance.now() >= this.probeAgainAt)
      this.supported = undefined;
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

  /**
   * A batch nobody waits on any more is let go: the Token Server need not hold it. One that is
   * about to end anyway is left to end (an abort costs the connection).
   */
  private dropIfUnwatched(batch: HeldBatch | undefined): void {
    if (batch === undefined || batch.ids.some((id) => this.watches.has(id))) return;
    if (performance.now() - batch.sentAt > this.waitSeconds * 1000 - LET_END_WITHIN_MS) return;
    if (this.release(batch)) batch.controller.abort();
  }

  private enqueue(transactionId: string): void {
    this.unsent.add(transactionId);
    this.flushTimer ??= setTimeout(() => {
      this.flush();
    }, this.gatherMs);
  }

  /**
   * Sends the newcomers, merged with the batches that have room and were held long enough (their
   * own logins first, so that the newest logins are the ones in the batch left with room). With
   * no newcomers, two or more such batches are merged all the same.
   */
  private flush(): void {
    this.flushTimer = undefined;
    const newcomers = [...this.unsent].filter((id) => this.watches.has(id));
    this.unsent.clear();
    const now = performance.now();
    const withRoom = [...this.held].filter((batch) => batch.ids.length < this.maxBatch);
    const mergeable = withRoom.filter((batch) => now - batch.sentAt >= MERGE_AFTER_MS);
    if (newcomers.length > 0 || mergeable.length > 1) {
      const merged: string[] = [];
      for (const batch of mergeable) {
        this.release(batch);
        batch.controller.abort();
        for (const id of batch.ids) if (this.watches.has(id)) merged.push(id);
      }
      const ids = [...new Set([...merged, ...newcomers])];
      for (let start = 0; start < ids.length; start += this.maxBatch) {
        this.send(ids.slice(start, start + this.maxBatch));
      }
    }
    this.consolidateLater();
  }

  /** While two or more batches have room, merges them once the youngest is old enough. */
  private consolidateLater(): void {
    if (this.consolidateTimer !== undefined) return;
    const withRoom = [...this.held].filter((batch) => batch.ids.length < this.maxBatch);
    if (withRoom.length < 2) return;
    const youngest = Math.max(...withRoom.map((batch) => batch.sentAt));
    this.consolidateTimer = setTimeout(
      () => {
        this.consolidateTimer = undefined;
        this.flush();
      },
      Math.max(0, youngest + MERGE_AFTER_MS - performance.now()),
    );
  }

  private send(ids: string[]): void {
    const known = new Map<string, LoginStatus>();
    for (const id of ids) {
      const watch = this.watches.get(id);
      if (watch) known.set(id, watch.known);
    }
    const batch: HeldBatch = {
      ids,
      known,
      controller: new AbortController(),
      sentAt: performance.now(),
    };
    this.held.add(batch);
    for (const id of ids) this.heldBy.set(id, batch);
    this.client.waitForChanges(known, this.waitSeconds, batch.controller.signal).then(
      (answer) => {
        if (!this.release(batch)) return; // merged into a newer batch, or dropped, meanwhile
        this.supported = true;
        this.failuresInARow = 0;
        for (const [id, result] of answer.changed) this.settleAll(id, { kind: 'changed', result });
        for (const id of answer.unknown) this.settleAll(id, { kind: 'read-alone' });
        // Nothing changed, and at once: a server shutting down lets its waits go. Ask again in a
        // second, not in a tight loop.
        const letGo =
          answer.changed.size === 0 &&
          answer.unknown.length === 0 &&
          performance.now() - batch.sentAt < LET_GO_PAUSE_MS;
        this.requeue(ids, letGo ? LET_GO_PAUSE_MS : 0);
      },
      (error: unknown) => {
        if (!this.release(batch)) return;
        if (this.supported !== true && lacksBatchedWait(error)) {
          // This server has no batched wait: each login reads alone, and it is asked again later.
          this.supported = false;
          this.probeAgainAt = performance.now() + PROBE_AGAIN_MS;
          for (const id of ids) this.settleAll(id, { kind: 'read-alone' });
          return;
        }
        // Down, overloaded or refusing for now: one report, then the same batch after a pause.
        // Reading each login alone instead would turn one failing call into fifty.
        this.onError(error);
        const pause =
          RETRY_PAUSES_MS[Math.min(this.failuresInARow, RETRY_PAUSES_MS.length - 1)] ?? 1000;
        this.failuresInARow += 1;
        this.requeue(ids, pause);
      },
    );
  }

  /** Sends the still-watched logins of an ended batch again, after `pauseMs`. */
  private requeue(ids: readonly string[], pauseMs: number): void {
    const again = () => {
      for (const id of ids) if (this.watches.has(id) && !this.isQueued(id)) this.enqueue(id);
    };
    if (pauseMs === 0) again();
    else setTimeout(again, pauseMs);
  }

  private settleAll(transactionId: string, outcome: BatchedWaitOutcome): void {
    const watch = this.watches.get(transactionId);
    if (watch === undefined) return;
    this.watches.delete(transactionId);
    for (const settle of [...watch.waiters]) settle(outcome);
  }
}

/**
 * What a server without the extension answers to its path: bad request, not found, method not
 * allowed or not implemented.
 */
function lacksBatchedWait(error: unknown): boolean {
  return (
    error instanceof KitError &&
    (error.code === 'token_server_refused' || error.code === 'token_server_bad_response') &&
    (error.status === 400 || error.status === 404 || error.status === 405 || error.status === 501)
  );
}
