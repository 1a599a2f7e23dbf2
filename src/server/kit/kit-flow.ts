import type { LoginStatus } from '../../protocol/index.js';
import type { LoginOutcome, UserOfRequest } from './kit-config.js';
import type { LoginFlow, LoginRecord } from './login-store.js';
import type { LinkedDevice } from './relying-party-client.js';

/**
 * What differs between passwordless login, second factor and linking a phone. The start and
 * status handlers are the same for all three: they bind a login to the browser, pace its polls
 * and keep it in the store; a flow says how it begins at the Token Server, how its status is
 * learnt, and what the website's hook makes of an accepted one.
 */
export interface KitFlow {
  readonly kind: LoginFlow;
  /** `POST {path}` starts; `GET {path}/{id}` reports. */
  readonly path: string;
  /**
   * The website's user this flow is for (the one who passed the first factor, or who is logged
   * in to link a phone); null makes the start 401. Absent for passwordless login.
   */
  readonly userOf?: UserOfRequest;
  /** Asks the Token Server for a code for this browser. */
  begin(request: Request, who: FlowRequester): Promise<FlowBeginning>;
  /**
   * The login's status, once it differs from `record.status` or after `waitSeconds` (at once
   * when `signal` aborts).
   */
  observe(record: LoginRecord, waitSeconds: number, signal: AbortSignal): Promise<Observation>;
  /** The website's hook, run once for an accepted login that this poll took from the store. */
  conclude(userId: string, observation: Observation, request: Request): Promise<LoginOutcome>;
}

/** Who asks to begin: the website's user (if the flow has one) and the browser's address. */
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
  /** Enrollment: the phones the user had before. */
  knownDeviceIds?: string[];
}

/** A login's status as a poll sees it. */
export interface Observation {
  status: LoginStatus;
  /** The user the phone is linked to: only once the login is accepted. */
  userId?: string;
  /** Enrollment: the phone that was linked. */
  device?: LinkedDevice;
}
