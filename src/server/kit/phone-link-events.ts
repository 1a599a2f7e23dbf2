/*
 * What the kit tells the website about the phones of its users' accounts, so that the website can
 * tell the owner: a phone linked, a link refused, a phone revoked. An owner who learns of a phone
 * they did not link can act before it is used.
 */

/** What happened to a phone of an account. */
export type PhoneLinkEventType =
  /** The user confirmed on the linking page that the phone shows the page's code: it is linked. */
  | 'phone-linked'
  /** The user said the phone does not show the page's code: the phone that used it is revoked. */
  | 'phone-link-refused'
  /** The website revoked a phone (`kit.revokePhone`). */
  | 'phone-revoked';

/** One change to the phones of an account, for the website to show or send to the owner. */
export interface PhoneLinkEvent {
  type: PhoneLinkEventType;
  /** The website's user whose account it is. */
  userId: string;
  /** The Token Server's id of the phone. */
  deviceId: string;
  /** The name the phone gave itself; null when the Token Server did not say. */
  deviceName: string | null;
  at: Date;
  /** The address of the browser that confirmed, refused or revoked; null when unknown. */
  ipAddress: string | null;
  /** That browser's User-Agent (at most 512 characters); null when it sent none. */
  userAgent: string | null;
}

/** The website's hook for {@link PhoneLinkEvent}s. */
export type OnSecurityEvent = (event: PhoneLinkEvent) => void | Promise<void>;

/** Hands an event to the website; awaited, so that a page shown next already lists it. */
export type ReportPhoneLinkEvent = (
  type: PhoneLinkEventType,
  phone: { userId: string; deviceId: string; deviceName: string | null },
  request: Request | undefined,
  ipAddress: string | undefined,
) => Promise<void>;

/** The most of a User-Agent an event carries. */
const USER_AGENT_LIMIT = 512;

/**
 * The kit's way to hand events to `onSecurityEvent`. A hook that throws (or rejects) is reported
 * to `report` and the link or revocation goes on: it has happened at the Token Server already,
 * and the browser must hear of it.
 */
export function phoneLinkEvents(
  hook: OnSecurityEvent | undefined,
  report: (error: unknown) => void,
): ReportPhoneLinkEvent {
  return async (type, phone, request, ipAddress) => {
    if (hook === undefined) return;
    const userAgent = request?.headers.get('user-agent')?.slice(0, USER_AGENT_LIMIT) || null;
    try {
      await hook({
        type,
        userId: phone.userId,
        deviceId: phone.deviceId,
        deviceName: phone.deviceName,
        at: new Date(),
        ipAddress: ipAddress ?? null,
        userAgent,
      });
    } catch (error) {
      report(error);
    }
  };
}
