import * as v from 'valibot';
import { encodeBase64 } from './base64.js';

/*
 * User verification on Accept: a fingerprint or a face (a platform passkey, WebAuthn) before the
 * phone's Accept counts, so that whoever picks up an unlocked phone cannot log anyone in.
 *
 * - Per login type on the Token Server, `userVerification`:
 *   - `required`: an accept without a verified assertion is refused
 *     (`user_verification_required`), and a phone without a passkey can only deny;
 *   - `preferred`: a phone with a passkey must verify its user (a failed assertion is refused,
 *     `user_verification_failed`); a phone without one accepts with a tap;
 *   - `none` (the default, as Onegini's plugin): a tap.
 * - Linking: right after `enroll`, the app registers a platform passkey for the device, through
 *   two signed mobile calls ({@link PasskeyOptionsResponse}, {@link PasskeyRegistrationRequest}).
 *   A phone without a platform authenticator links all the same, and is told what that means;
 *   the website's device list says which phones verify their user (`user_verifying`).
 * - Accept: the redemption says `user_verification`; the app gets an assertion whose challenge
 *   is {@link userVerificationChallenge} of the transaction and the details it shows, and sends
 *   it with the answer. The assertion can accept that one login only, once.
 *
 * The WebAuthn bodies are the JSON forms of the W3C spec, as @simplewebauthn makes and reads
 * them; this checks their shape and size only: the Token Server verifies them in full.
 */

/** When a login type asks the phone to verify its user (fingerprint, face) before Accept. */
export const USER_VERIFICATION_POLICIES = ['required', 'preferred', 'none'] as const;
export type UserVerificationPolicy = (typeof USER_VERIFICATION_POLICIES)[number];

/** base64url without padding, as WebAuthn's JSON forms write bytes. */
const Base64Url = (maxLength: number) =>
  v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]*$/), v.maxLength(maxLength));

/** The authenticator's transports, as the browser reports them. */
const Transports = v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(8)));

/** `PublicKeyCredential.toJSON()` of a registration (RegistrationResponseJSON). */
export const PasskeyRegistrationResponse = v.object({
  id: Base64Url(1024),
  rawId: Base64Url(1024),
  type: v.literal('public-key'),
  response: v.object({
    clientDataJSON: Base64Url(4096),
    attestationObject: Base64Url(8192),
    transports: Transports,
  }),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  clientExtensionResults: v.record(v.string(), v.unknown()),
});
export type PasskeyRegistrationResponse = v.InferOutput<typeof PasskeyRegistrationResponse>;

/** `PublicKeyCredential.toJSON()` of an assertion (AuthenticationResponseJSON). */
export const PasskeyAssertion = v.object({
  id: Base64Url(1024),
  rawId: Base64Url(1024),
  type: v.literal('public-key'),
  response: v.object({
    clientDataJSON: Base64Url(4096),
    authenticatorData: Base64Url(4096),
    signature: Base64Url(1024),
    userHandle: v.optional(Base64Url(128)),
  }),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  clientExtensionResults: v.record(v.string(), v.unknown()),
});
export type PasskeyAssertion = v.InferOutput<typeof PasskeyAssertion>;

/** `POST /devices/{device_id}/passkey/options`: nothing in the body but the signed call. */
export const PasskeyOptionsRequest = v.strictObject({});
/** An empty object: the call's meaning is in its path and its signature. */
export type PasskeyOptionsRequest = Record<string, never>;

/**
 * 200: the options for `navigator.credentials.create()` (PublicKeyCredentialCreationOptionsJSON,
 * for @simplewebauthn/browser's `startRegistration({ optionsJSON })`): the relying party is the
 * app's origin that called (one of the Token Server's `appOrigins`), the authenticator a platform
 * one that verifies its user, and the challenge the server's, valid for a few minutes.
 */
export const PasskeyOptionsResponse = v.object({
  options: v.object({
    rp: v.object({ id: v.string(), name: v.string() }),
    user: v.object({ id: Base64Url(128), name: v.string(), displayName: v.string() }),
    challenge: Base64Url(128),
    pubKeyCredParams: v.array(v.object({ type: v.literal('public-key'), alg: v.number() })),
    timeout: v.optional(v.number()),
    excludeCredentials: v.optional(
      v.array(
        v.object({ id: Base64Url(1024), type: v.literal('public-key'), transports: Transports }),
      ),
    ),
    authenticatorSelection: v.optional(
      v.object({
        authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
        residentKey: v.optional(v.picklist(['discouraged', 'preferred', 'required'])),
        requireResidentKey: v.optional(v.boolean()),
        userVerification: v.optional(v.picklist(['discouraged', 'preferred', 'required'])),
      }),
    ),
    attestation: v.optional(v.string()),
    extensions: v.optional(v.record(v.string(), v.unknown())),
  }),
});
export type PasskeyOptionsResponse = v.InferOutput<typeof PasskeyOptionsResponse>;

/**
 * `POST /devices/{device_id}/passkey`: the new passkey, for the device that signs the call. A
 * second registration replaces the first (a phone reset, a new fingerprint).
 */
export const PasskeyRegistrationRequest = v.strictObject({
  registration: PasskeyRegistrationResponse,
});
export type PasskeyRegistrationRequest = v.InferOutput<typeof PasskeyRegistrationRequest>;

/** 200: the device now verifies its user on Accept. */
export const PasskeyRegisteredResponse = v.object({
  user_verifying: v.literal(true),
});
export type PasskeyRegisteredResponse = v.InferOutput<typeof PasskeyRegisteredResponse>;

/** What a redemption says about user verification: the type's policy, `none` when absent. */
export const RedeemUserVerification = v.optional(v.picklist(USER_VERIFICATION_POLICIES), 'none');

/** What the challenge of an accept's assertion says it is for. */
const ACCEPT_CHALLENGE_CONTEXT = 'otp-login-qr/accept';

/**
 * The challenge of the assertion that goes with an accept, base64url (no padding): SHA-256 of
 * `otp-login-qr/accept`, the transaction id and `shown` (the `shownDigest()` the answer signs),
 * one per line. The Token Server computes the same from the answer it gets, so the assertion
 * accepts that login, with those details, and nothing else; the transaction id is the server's
 * random one, and a login is answered once.
 */
export async function userVerificationChallenge(
  transactionId: string,
  shown: string,
): Promise<string> {
  const text = `${ACCEPT_CHALLENGE_CONTEXT}\n${transactionId}\n${shown}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return encodeBase64(new Uint8Array(digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
