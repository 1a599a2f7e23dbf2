import type { MobileRedeemResponse } from './mobile-api-contract.js';

/*
 * What you see is what you sign. The phone's answer carries a digest of the details the phone
 * displayed (the redemption's answer, which is all the confirmation screen shows), and the Token
 * Server keeps the digest of what it sent: an answer to other details is refused, and the record
 * says which details the user approved, as PSD2's dynamic linking asks of banks.
 */

/** Names the form of the digest, so that a later form can never be taken for this one. */
const SHOWN_DIGEST_FORM = 'otp-login-qr/shown/v1';

/**
 * The SHA-256, as lowercase hex, of the details a phone displays for a login: every field of the
 * redemption's answer, in a fixed order, as JSON. The phone and the server compute it alike.
 */
export async function shownDigest(shown: MobileRedeemResponse): Promise<string> {
  const place = shown.place;
  const canonical = JSON.stringify([
    SHOWN_DIGEST_FORM,
    shown.transaction_id,
    shown.site,
    shown.message,
    shown.browser,
    shown.os,
    shown.same_network,
    place === null
      ? null
      : [place.city, place.country, place.operator, place.distance_km, place.credit],
    shown.presence_required,
    shown.requested_at,
    shown.expires_at,
    shown.number_match_choices ?? null,
  ]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
