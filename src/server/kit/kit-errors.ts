export type KitErrorCode =
  /** The Token Server could not be reached, or did not answer in time. */
  | 'token_server_unreachable'
  /** The Token Server refused the call (its `error_code` is in `tokenServerCode`). */
  | 'token_server_refused'
  /** The Token Server answered with something that is not its API. */
  | 'token_server_bad_response'
  /** The login store holds as many logins as it may. */
  | 'store_full'
  /** The login store holds a value under a login's key that is not a login this kit wrote. */
  | 'store_unreadable';

/** A failure of the relying-party kit, with a stable `code`. */
export class KitError extends Error {
  readonly code: KitErrorCode;
  /** The HTTP status the Token Server answered with, when it answered. */
  readonly status: number | undefined;
  /** The Token Server's numeric `error_code`, when it sent one. */
  readonly tokenServerCode: number | undefined;

  constructor(
    code: KitErrorCode,
    message: string,
    options: { status?: number; tokenServerCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
    this.status = options.status;
    this.tokenServerCode = options.tokenServerCode;
  }
}
