import type { UserVerificationPolicy } from '../../protocol/index.js';
import type { TokenServerConfig } from './config.js';

/**
 * The user verification a login of type `typeName` asks for on Accept. A type removed from the
 * configuration since the login started asks for it: the stricter reading of a setting that is
 * gone, as for proof of presence.
 */
export function userVerificationPolicy(
  config: TokenServerConfig,
  typeName: string,
): UserVerificationPolicy {
  const type = config.types.find((candidate) => candidate.name === typeName);
  return type?.userVerification ?? 'required';
}
