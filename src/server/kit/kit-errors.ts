export type KitErrorCode =
  /** The Token Server could not be reached, or did not answer in time. */
  | 'token_server_unreachable'
  /** The Token Server refused the call (its `error_code` is in `tokenServerCode`). */
  | 'token_server_refused'
  /** The Token Server answered with something that is not its API. */
  | 'token_server_bad_response'
  /** `revokePhone`: the user has no linked phone of that id (another user's, or revoked). */
  | 'phone_not_found';

/**
 * A failure of the relying-party kit's calls to the Token Server (or of what the website asked of
 * the kit itself, such as revoking a phone that is not the user's), with a stable `code`. The login
 * stores fail with a `StoreError` (store/store-error.ts), as the Token Server's stores do.
 */
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
