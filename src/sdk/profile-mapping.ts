import { isDisplayName, type MobileRedeemResponse } from '../protocol/index.js';
import type { StoredProfile } from './device-storage.js';
import type { OneginiUserProfile } from './onegini-user-profile.js';
import type { OtpAuthenticationRequest, SoftwareName } from './otp-authentication-request.js';

// Internal: turns stored and wire data into the SDK's public types.

export function toPublicProfile(profile: StoredProfile): OneginiUserProfile {
  return {
    profileId: profile.profileId,
    userId: profile.userId,
    ...(profile.displayName === undefined ? {} : { displayName: profile.displayName }),
    deviceId: profile.deviceId,
    tokenServerUrl: profile.tokenServerUrl,
    ...(profile.siteName === undefined ? {} : { siteName: profile.siteName }),
    enrolledAt: new Date(profile.enrolledAt),
  };
}

export function toRequest(
  redeemed: MobileRedeemResponse,
  profile: OneginiUserProfile,
): OtpAuthenticationRequest {
  return {
    transactionId: redeemed.transaction_id,
    message: redeemed.message,
    siteName: redeemed.site,
    browser: softwareName(redeemed.browser),
    os: softwareName(redeemed.os),
    sameNetwork: redeemed.same_network ?? undefined,
    requestedAt: new Date(redeemed.requested_at),
    expiresAt: new Date(redeemed.expires_at),
    ...(redeemed.number_match_choices === undefined
      ? {}
      : { numberMatchChoices: Object.freeze([...redeemed.number_match_choices]) }),
    profile,
  };
}

/**
 * "Firefox 128" → {name: 'Firefox', version: '128'}; "Linux" → {name: 'Linux'}. Undefined, as
 * for an unknown browser, for a text the phone must not show as evidence: the browser that asked
 * may be an attacker's, and a Token Server other than ours may pass its words on (a right-to-left
 * override, invisible characters; the rule of display names).
 */
export function softwareName(text: string | null): SoftwareName | undefined {
  if (text === null || !isDisplayName(text.trim())) return undefined;
  const match = /^(.*\S)\s+(\d[\w.]*)$/.exec(text.trim());
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { name: match[1], version: match[2] };
  }
  return { name: text.trim() };
}
