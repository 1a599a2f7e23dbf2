import type { UserOfRequest } from './kit-config.js';
import type { KitFlow, Observation } from './kit-flow.js';
import type { LoginRecord } from './login-store.js';
import { transactionFlow, type LoginType } from './login-flow.js';
import type { RelyingPartyClient } from './relying-party-client.js';
import type { TransactionObserver } from './transaction-observer.js';

/**
 * Second factor: a login for the user who passed the first factor (`userId`), whom the Token
 * Server binds the transaction to (it refuses other users' phones). The kit checks again: an
 * accepted answer from another user's phone reads as denied and logs nobody in.
 */
export function secondFactorFlow(
  secondFactor: LoginType & { userId: UserOfRequest },
  parts: { client: RelyingPartyClient; callbackUri: string; observe: TransactionObserver },
): KitFlow {
  const flow = transactionFlow('second_factor', secondFactor, parts);
  return {
    ...flow,
    userOf: secondFactor.userId,
    async observe(record, waitSeconds, signal) {
      return ofTheUser(record, await flow.observe(record, waitSeconds, signal));
    },
    async confirm(record, confirmation, request, who) {
      return ofTheUser(record, await flow.confirm(record, confirmation, request, who));
    },
  };
}

/** An accepted login of another user than the one who passed the first factor is denied. */
function ofTheUser(record: LoginRecord, seen: Observation): Observation {
  return seen.status === 'accepted' && seen.userId !== record.userId ? { status: 'denied' } : seen;
}
