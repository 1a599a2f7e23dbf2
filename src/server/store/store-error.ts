export type StoreErrorCode =
  /**
   * The store takes no new records now: it holds as many as it may (a memory store's bound, a
   * full Redis that may not evict, a full disk). Records it holds are kept.
   */
  | 'full'
  /**
   * A stored value is not a record of this store: another program's value under its key, a key
   * prefix shared by mistake, a damaged row, a record of an older version. It is never read as one.
   */
  | 'unreadable'
  /** A record with this key (or a device with this id) exists already. */
  | 'duplicate'
  /** A change kept losing to other changes of the same record, or the record moved under it. */
  | 'conflict'
  /** The store's backend cannot be reached or failed (Redis down, the SQLite file unusable). */
  | 'unavailable'
  /** The store (or a part of it) was closed. */
  | 'closed';

/**
 * A failure of a store (the Token Server's or the website kit's), with a stable `code`. Servers
 * answer it with 503: the request may succeed later, and nothing was half done.
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
  }
}
