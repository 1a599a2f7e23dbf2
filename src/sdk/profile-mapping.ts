import {
  isDisplayName,
  type MobileEnrollPreviewResponse,
  type MobileRedeemResponse,
  type RequesterPlace,
  isShowableText,
  MAX_PLACE_CREDIT_LENGTH,
} from '../protocol/index.js';
import type { StoredProfile } from './device-storage.js';
import type { OneginiEnrollmentPreview } from './onegini-enrollment-preview.js';
import type { OneginiUserProfile } from './onegini-user-profile.js';
import type { OtpAuthenticationRequest, SoftwareName } from './otp-authentication-request.js';
import type { RequesterPlaceInfo } from './requester-place-info.js';

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
    userVerifying: profile.passkey !== undefined,
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
    ...optional('place', placeInfo(redeemed.place)),
    presenceRequired: redeemed.presence_required,
    userVerification: redeemed.user_verification,
    secondFactor: redeemed.second_factor,
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

export function toEnrollmentPreview(
  preview: MobileEnrollPreviewResponse,
): OneginiEnrollmentPreview {
  return {
    siteName: preview.site,
    userId: preview.user_id,
    // As at enrollment: a name that could read as something else is not shown.
    ...(isDisplayName(preview.display_name) ? { displayName: preview.display_name } : {}),
    ...optional('browser', softwareName(preview.browser)),
    ...optional('os', softwareName(preview.os)),
    ...optional('sameNetwork', preview.same_network ?? undefined),
    ...optional('place', placeInfo(preview.place)),
    expiresAt: new Date(preview.expires_at),
  };
}

/**
 * The server's place without its nulls; undefined when it knows nothing. A name that breaks the
 * rule of display names is left out, as for the browser: the phone shows it as evidence.
 */
export function placeInfo(place: RequesterPlace | null): RequesterPlaceInfo | undefined {
  if (place === null) return undefined;
  const info: RequesterPlaceInfo = {
    ...optional('city', shownName(place.city)),
    ...optional('country', place.country ?? undefined),
    ...optional('operator', shownName(place.operator)),
    ...optional('distanceKm', place.distance_km ?? undefined),
  };
  // A credit alone is no place.
  if (Object.keys(info).length === 0) return undefined;
  return isShowableText(place.credit, MAX_PLACE_CREDIT_LENGTH)
    ? { ...info, credit: place.credit }
    : info;
}

function shownName(text: string | null): string | undefined {
  if (text === null) return undefined;
  const trimmed = text.trim();
  return isDisplayName(trimmed) ? trimmed : undefined;
}

/** `{ [key]: value }`, or `{}` for undefined: an optional property that is absent, not undefined. */
function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
