import type { ConfirmKind, ConfirmRequest, LoginStatus } from '../../protocol/index.js';
import type { LoginOutcome, RecentlyAuthenticated, UserOfRequest } from './kit-config.js';
import type { LoginFlow, LoginRecord } from './login-store.js';

/**
 * What differs between passwordless login, second factor and linking a phone. The start, status
 * and confirm handlers are the same for all three: they bind a login to the browser, pace its
 * polls and keep it in the store; a flow says how it begins at the Token Server, how its status
 * is learnt, how the browser's confirmation reaches the Token Server, and what the website's hook
 * makes of an accepted one.
 */
export interface KitFlow {
  readonly kind: LoginFlow;
  /** `POST {path}` starts; `GET {path}/{id}` reports; `POST {path}/{id}/confirm` confirms. */
  readonly path: string;
  /**
   * The website's user this flow is for (the one who passed the first factor, or who is logged
   * in to link a phone); null makes the start 401. Absent for passwordless login.
   */
  readonly userOf?: UserOfRequest;
  /**
   * Linking: whether the user authenticated recently enough; false makes the start 401
   * `reauthentication_required`. Absent where no fresh proof is needed.
   */
  readonly recentlyAuthenticated?: RecentlyAuthenticated;
  /**
   * What a `confirm` status asks of this flow's browser: type the phone's code (a login's proof
   * of presence), or compare the phone's code with the page's (linking).
   */
  readonly confirmKind: ConfirmKind;
  /** Asks the Token Server for a code for this browser. */
  begin(request: Request, who: FlowRequester): Promise<FlowBeginning>;
  /**
   * The login's status, once it differs from `record.status` or after `waitSeconds` (at once
   * when `signal` aborts).
   */
  observe(record: LoginRecord, waitSeconds: number, signal: AbortSignal): Promise<Observation>;
  /**
   * The browser's confirmation of a login in `confirm` (of this flow's `confirmKind`: the caller
   * checked), given to the Token Server; the status it leaves the login in.
   */
  confirm(
    record: LoginRecord,
    confirmation: ConfirmRequest,
    request: Request,
    who: FlowRequester,
  ): Promise<Observation>;
  /** The website's hook, run once for an accepted login that this request took from the store. */
  conclude(
    userId: string,
    observation: Observation,
    request: Request,
    who: FlowRequester,
  ): Promise<LoginOutcome>;
}

/** Who asks: the website's user (if the flow has one) and the browser's address. */
export interface FlowRequester {
  userId: string | undefined;
  ip: string | undefined;
}

/** What the Token Server gave for a new login. */
export interface FlowBeginning {
  /** The Token Server's transaction id, or the enrollment id. Never sent to the browser. */
  transactionId: string;
  /** What goes into the QR's fragment (checked as the phone will read it). */
  code: string;
  /** Milliseconds until the code expires. */
  timeToLive: number;
  /** Number matching: the code the browser shows. */
  numberMatchCode?: string;
}

/** A login's status as a poll (or a confirmation) sees it. */
export interface Observation {
  status: LoginStatus;
  /** The user the phone is linked to: only once the login is accepted. */
  userId?: string;
  /** Linking: the phone that used the code, once one has. */
  phone?: { deviceId: string; deviceName: string | null };
  /** Linking, with `confirm`: the code the phone shows, which the page shows beside it. */
  compareCode?: string;
  /** Proof of presence, with `confirm`: the codes the browser may still type, when known. */
  triesLeft?: number;
  /**
   * Epoch ms: when the Token Server ends the login now, when it said (a link waiting for its
   * confirmation has a deadline of its own).
   */
  expiresAt?: number;
}
