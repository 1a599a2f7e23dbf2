import { TOKEN_SERVER_ERRORS, type TokenServerErrorName } from '../../protocol/index.js';

/**
 * An error that the Token Server answers with. `code` is Onegini's number (or ours, see
 * docs/protocol.md); the body is OAuth-style `{error, error_description}` plus `error_code`.
 */
export class TokenServerError extends Error {
  readonly code: number;
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(
    options: {
      code: number;
      status: number;
      error: string;
      message: string;
      headers?: Record<string, string>;
    },
    cause?: unknown,
  ) {
    super(options.message, cause === undefined ? undefined : { cause });
    this.name = this.constructor.name;
    this.code = options.code;
    this.status = options.status;
    this.error = options.error;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: string; error_description: string; error_code: number } {
    return { error: this.error, error_description: this.message, error_code: this.code };
  }
}

/** An error of the relying-party API, with Onegini's number and HTTP status. */
export function relyingPartyError(name: TokenServerErrorName, message?: string): TokenServerError {
  const entry = TOKEN_SERVER_ERRORS[name];
  return new TokenServerError({
    code: entry.code,
    status: entry.status,
    error: entry.status === 404 ? 'not_found' : 'invalid_request',
    message: message ?? entry.description,
  });
}

/** 401 for missing or wrong client credentials, as OAuth and Onegini answer it. */
export function invalidClient(): TokenServerError {
  return new TokenServerError({
    code: 401,
    status: 401,
    error: 'invalid_client',
    message: 'Client authentication failed (unknown client, or no or wrong credentials).',
    headers: { 'WWW-Authenticate': 'Basic realm="otp-login-qr"' },
  });
}
