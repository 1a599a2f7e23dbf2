/*
 * What the screens show, in the app's own terms. The session turns the SDK's profiles and
 * requests into these, so that a screen depends on nothing but its data.
 */

/** A linked account on this phone. */
export interface AccountView {
  readonly profileId: string;
  /** The name the website gave the account, else its user id. */
  readonly accountName: string;
  /** The website's id of the user: shown beside the name when two accounts share a name. */
  readonly userId: string;
  readonly siteName: string;
  readonly enrolledAt: Date;
  /** This account answers logins. */
  readonly active: boolean;
}

/**
 * Where the Token Server's IP database places a browser: a hint, never proof. Every field is
 * undefined when not known.
 */
export interface PlaceView {
  readonly city?: string | undefined;
  /** ISO 3166-1 alpha-2, e.g. `NL`. */
  readonly country?: string | undefined;
  /** The network operator, e.g. `KPN`. */
  readonly operator?: string | undefined;
  /** Kilometres between that place and this phone's. */
  readonly distanceKm?: number | undefined;
  /** The credit the IP data's licence asks for, shown small under the place. */
  readonly credit?: string | undefined;
}

/**
 * The browser that asked (to log in, or to link this phone), as the Token Server describes it:
 * what a relay or a stolen code leans on the user not reading.
 */
export interface RequesterView {
  /** As the browser calls itself (its User-Agent): an attacker's browser says what it likes. */
  readonly browser: string | undefined;
  readonly os: string | undefined;
  /** Same network as the phone: true, false, or not known (shown as a warning, like false). */
  readonly sameNetwork: boolean | undefined;
  readonly place: PlaceView | undefined;
}

/** A "Link your phone" code read before linking: what the app asks about. */
export interface LinkPreviewView extends RequesterView {
  readonly siteName: string;
  /** The account's name the website gave, else its user id. */
  readonly accountName: string;
  readonly expiresAt: Date;
}

/**
 * Whether the phone checks its user's fingerprint or face for an account (a passkey):
 * `registered`; `unavailable` (the phone has no way to, and never will for this link);
 * `cancelled` or `failed` (it could, and may try again).
 */
export type PasskeyView = 'registered' | 'unavailable' | 'cancelled' | 'failed';

/** A phone linked pending the website's confirmation: the code both screens show. */
export interface PendingLinkView {
  readonly siteName: string;
  /** Six digits. */
  readonly compareCode: string;
  /** The new account, for making its passkey again. */
  readonly profileId: string;
  /** What came of the passkey that verifies the user on Accept. */
  readonly passkey: PasskeyView;
}

/** An accepted login that the browser must still prove it is with the user at: the code to type. */
export interface PresenceCodeView {
  readonly siteName: string;
  /** Six digits. */
  readonly presenceCode: string;
}

/** A login waiting for the user's answer, from the Token Server's redeem response. */
export interface LoginRequestView extends RequesterView {
  readonly siteName: string;
  /** The website's message: plain text, rendered as text. */
  readonly message: string;
  /** After Accept the phone shows a code that the browser must type (proof of presence). */
  readonly presenceRequired: boolean;
  /**
   * What Accept takes: `fingerprint` (the system asks for the user's fingerprint or face first),
   * `impossible` (the website requires that, and this phone has no passkey: deny only) or `tap`.
   */
  readonly acceptBy?: AcceptBy | undefined;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
  /** Number matching: the numbers to pick from. */
  readonly numberMatchChoices?: readonly string[] | undefined;
  /**
   * The account that answers: the name the website gave it, else its user id. The site is on
   * the screen already, in the title and in its own row: said once, not again beside the name.
   */
  readonly accountName?: string | undefined;
  /**
   * The login is the second factor after a password (the browser's user typed it already);
   * false for a passwordless login; undefined when the SDK does not say.
   */
  readonly secondFactor?: boolean | undefined;
}

/** What the Accept of a login takes on this phone. */
export type AcceptBy = 'tap' | 'fingerprint' | 'impossible';

/**
 * What came of an answer the user gave: sent (the outcome follows), or, before anything was sent,
 * the fingerprint or face was not verified (cancelled, not recognised) or cannot be (no passkey).
 */
export type AnswerResult = 'sent' | 'not-verified' | 'cannot-verify';

/** How a login or a linking ended. */
export type OutcomeKind =
  | 'accepted'
  | 'denied'
  | 'expired'
  | 'handled'
  | 'not-linked'
  /** The website revoked this phone (or its link was refused): it was linked, and is no more. */
  | 'unlinked'
  | 'offline'
  | 'error'
  | 'link-failed'
  /** Another phone used this "Link your phone" code first. */
  | 'link-used'
  /** This phone is linked, but the website has not confirmed the link yet. */
  | 'link-not-confirmed'
  /** The Token Server did not take the fingerprint or face check (or found none): not logged in. */
  | 'not-verified';

export interface OutcomeView {
  readonly kind: OutcomeKind;
  readonly siteName?: string | undefined;
  /** A technical detail for support, shown small; never needed to understand what happened. */
  readonly detail?: string | undefined;
  /**
   * The login was the second factor after a password: a denied one then means that someone may
   * know the password. Undefined (or false) gives the advice of a passwordless login.
   */
  readonly secondFactor?: boolean | undefined;
}

/** The user's answer on the confirmation screen. */
export interface AnswerDetail {
  readonly accept: boolean;
  readonly number?: string | undefined;
}
