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

/** A login waiting for the user's answer, from the Token Server's redeem response. */
export interface LoginRequestView {
  readonly siteName: string;
  /** The website's message: plain text, rendered as text. */
  readonly message: string;
  readonly browser: string | undefined;
  readonly os: string | undefined;
  /** Same network as the phone: true, false, or not known. */
  readonly sameNetwork: boolean | undefined;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
  /** Number matching: the numbers to pick from. */
  readonly numberMatchChoices?: readonly string[] | undefined;
  /** The account that answers, as "user at site". */
  readonly account?: string | undefined;
}

/** How a login or a linking ended. */
export type OutcomeKind =
  | 'accepted'
  | 'denied'
  | 'expired'
  | 'handled'
  | 'not-linked'
  | 'offline'
  | 'error'
  | 'link-failed';

export interface OutcomeView {
  readonly kind: OutcomeKind;
  readonly siteName?: string | undefined;
  /** A technical detail for support, shown small; never needed to understand what happened. */
  readonly detail?: string | undefined;
}

/** The user's answer on the confirmation screen. */
export interface AnswerDetail {
  readonly accept: boolean;
  readonly number?: string | undefined;
}
