import { decodeAuthenticationPayload } from '../../protocol/index.js';
import type { OnLogin } from './kit-config.js';
import type { KitFlow } from './kit-flow.js';
import type { RelyingPartyClient } from './relying-party-client.js';
import { requesterDetails } from './requester-details.js';
import { observationOf, type TransactionObserver } from './transaction-observer.js';

/** A login type of the Token Server, as the website configured it. */
export interface LoginType {
  path: string;
  /** The Token Server's type, e.g. `otp`. */
  type: string;
  /** The message the phone shows; default the type's. */
  message?: string;
  onLogin: OnLogin;
}

/**
 * Passwordless login: the Token Server's `initialize` for the configured type, with what it is
 * told of the browser; the transaction's result decides; the website's `onLogin` starts its
 * session for the phone's user.
 */
export function loginFlow(
  login: LoginType,
  parts: { client: RelyingPartyClient; callbackUri: string; observe: TransactionObserver },
): KitFlow {
  return transactionFlow('login', login, parts);
}

/**
 * A flow that runs on a Token Server transaction (login, second factor). `who.userId`, when
 * given, binds the transaction to that user (`user_id`). A type with proof of presence makes the
 * phone's accept a `confirm`: the browser types the code the phone shows, and the Token Server
 * says whether it is the one.
 */
export function transactionFlow(
  kind: 'login' | 'second_factor',
  login: LoginType,
  parts: { client: RelyingPartyClient; callbackUri: string; observe: TransactionObserver },
): KitFlow {
  const { client, callbackUri, observe } = parts;
  return {
    kind,
    path: login.path,
    async begin(request, who) {
      const started = await client.initialize({
        type: login.type,
        callbackUri,
        ...(login.message === undefined ? {} : { message: login.message }),
        ...requesterDetails(request, who.ip),
        ...(who.userId === undefined ? {} : { userId: who.userId }),
      });
      decodeAuthenticationPayload(started.otp);
      return {
        transactionId: started.transactionId,
        code: started.otp,
        timeToLive: started.timeToLive,
        ...(started.numberMatchCode === undefined
          ? {}
          : { numberMatchCode: started.numberMatchCode }),
      };
    },
    confirmKind: 'enter_code',
    observe,
    async confirm(record, confirmation) {
      if (!('code' in confirmation)) throw new TypeError('A login is confirmed with a code.');
      return observationOf(await client.provePresence(record.transactionId, confirmation.code));
    },
    async conclude(userId, _observation, request) {
      return login.onLogin(userId, request);
    },
  };
}
