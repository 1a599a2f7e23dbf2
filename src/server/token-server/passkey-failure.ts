/** The longest reason of @simplewebauthn's that a refusal passes on. */
const MAX_REASON_LENGTH = 200;

/**
 * Why @simplewebauthn refused a registration or an assertion, as `: reason` for a refusal's
 * `error_description` (which is for developers, never shown to users); empty without one. Its
 * reasons name only what the phone sent and what the server expects of every phone (the app
 * origins, which CORS publishes anyway, and a challenge the phone can compute).
 */
export function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error) || cause.message === '') return '';
  const reason = cause.message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return `: ${reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason}`;
}
