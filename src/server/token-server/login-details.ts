import type { MobileRedeemResponse } from '../../protocol/index.js';
import type { TransactionRecord } from '../store/records.js';
import type { TokenServerConfig } from './config.js';
import type { IpLocator } from './ip-location/ip-locator.js';
import { requesterPlace } from './ip-location/requester-place.js';
import { numberMatchChoicesFor } from './number-match-choices.js';
import { presenceRequired } from './proof-of-presence.js';
import { describeUserAgent, sameNetwork } from './requester-context.js';
import { userVerificationPolicy } from './user-verification-policy.js';

/*
 * What the phone shows for a login: the redemption's answer, which is also what the phone signs
 * (shownDigest). It is built from what the transaction stored when it started, and the phone's
 * address, and nothing else: a phone that redeems again from the same network gets the very
 * same details, and the answer's digest can be checked against them.
 */

/** Everything besides the transaction that decides the details. */
export interface LoginDetailsContext {
  readonly config: TokenServerConfig;
  readonly locator: IpLocator | undefined;
  /** The address the phone calls from; null when unknown. */
  readonly phoneIp: string | null;
}

/** The details of `record` (a login of `transactionId`) as the phone at `phoneIp` is shown them. */
export function loginDetails(
  record: TransactionRecord,
  transactionId: string,
  { config, locator, phoneIp }: LoginDetailsContext,
): MobileRedeemResponse {
  const client = config.clients.find((candidate) => candidate.id === record.clientId);
  const type = config.types.find((candidate) => candidate.name === record.type);
  const browserIp = record.requester.ipAddress;
  const { browser, os } = describeUserAgent(record.requester.userAgent);
  const verdict = sameNetwork(browserIp, phoneIp);
  return {
    transaction_id: transactionId,
    message: record.message,
    site: client?.name ?? record.clientId,
    browser,
    os,
    same_network: verdict,
    place: requesterPlace(locator ?? null, browserIp, phoneIp),
    // A type removed from the configuration since the login started asks for the code: the
    // stricter reading of a setting that is gone.
    presence_required: presenceRequired(type?.proofOfPresence ?? 'always', browserIp, phoneIp),
    user_verification: userVerificationPolicy(config, record.type),
    // Only a second-factor login names its user when it starts.
    second_factor: record.requiredUserId !== null,
    requested_at: new Date(record.createdAt).toISOString(),
    expires_at: new Date(record.expiresAt).toISOString(),
    ...(record.numberMatchCode === null
      ? {}
      : {
          number_match_choices: numberMatchChoicesFor(
            record.numberMatchCode,
            client?.secretSha256 ?? record.clientId,
            record.key,
          ),
        }),
  };
}
