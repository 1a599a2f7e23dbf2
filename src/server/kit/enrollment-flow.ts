import { decodeEnrollmentPayload, isDisplayName } from '../../protocol/index.js';
import type { OtpLoginKitConfig } from './kit-config.js';
import { KitError } from './kit-errors.js';
import type { KitFlow, Observation } from './kit-flow.js';
import type { LoginRecord } from './login-store.js';
import type { ReportPhoneLinkEvent } from './phone-link-events.js';
import type { EnrollmentState, LinkedDevice, RelyingPartyClient } from './relying-party-client.js';
import { requesterDetails } from './requester-details.js';
import type { TransactionWaker } from './transaction-waker.js';

/**
 * Linking a phone to the logged-in user (the reference server's enrollment extension), bound and
 * confirmed. The kit follows this very enrollment on the Token Server, never "a new phone of the
 * user": a phone that used the code is pending until the user compares the code it shows with the
 * page's (`confirm`, `compare_code`), and says so on the page (`POST …/confirm {matches}`). Only
 * then is it linked (`accepted`: `onEnrolled` and a `phone-linked` event); "they differ" revokes
 * it (`denied`: a `phone-link-refused` event, and the page warns that someone else used the
 * code). Whoever photographed the QR gets a phone that answers no login.
 *
 * The start asks the website for a recent authentication first, and tells the Token Server of the
 * browser that shows the linking page, which the phone shows before it links.
 */
export function enrollmentFlow(
  enrollment: NonNullable<OtpLoginKitConfig['enrollment']>,
  parts: {
    client: RelyingPartyClient;
    waker: TransactionWaker;
    upstreamPollMs: number;
    report: (error: unknown) => void;
    events: ReportPhoneLinkEvent;
  },
): KitFlow {
  const { client, waker, upstreamPollMs, report, events } = parts;
  return {
    kind: 'enrollment',
    path: enrollment.path,
    userOf: enrollment.userId,
    recentlyAuthenticated: enrollment.recentlyAuthenticated,
    confirmKind: 'compare_code',
    async begin(request, who) {
      const user = who.userId ?? '';
      const named = await enrollment.displayName?.(user, request);
      // The site's bug must not stop the user linking: it hears of it, the phone shows the id.
      const displayName = named === undefined || isDisplayName(named) ? named : undefined;
      if (named !== displayName)
        report(
          new TypeError(
            'enrollment.displayName returned a name the phone must not show (see isDisplayName); the phone is linked without it.',
          ),
        );
      const browser = requesterDetails(request, who.ip);
      const started = await client.startEnrollment(user, {
        ...(displayName === undefined ? {} : { displayName }),
        ...(browser.ipAddress === undefined ? {} : { ipAddress: browser.ipAddress }),
        ...(browser.userAgent === undefined ? {} : { userAgent: browser.userAgent }),
      });
      decodeEnrollmentPayload(started.code);
      return {
        transactionId: started.enrollmentId,
        code: started.code,
        timeToLive: started.timeToLive,
      };
    },
    // No long-poll for links: the enrollment is read every `upstreamPollMs` (or at a wake-up).
    async observe(record, wait, signal) {
      const deadline = performance.now() + wait * 1000;
      for (;;) {
        const seen = observed(record, await client.enrollmentStatus(record.transactionId, signal));
        const remaining = deadline - performance.now();
        if (seen.status !== record.status || remaining < 50 || signal.aborted) return seen;
        const reason = await waker.wait(
          record.transactionId,
          Math.min(upstreamPollMs, remaining),
          signal,
        );
        if (reason === 'aborted') return seen;
      }
    },
    async confirm(record, confirmation, request, who) {
      if (!('matches' in confirmation))
        throw new TypeError('A phone link is confirmed with matches.');
      const state = await client.confirmEnrollment(record.transactionId, confirmation.matches);
      const seen = observed(record, state);
      // Only the confirmation that refused it reports it: a racing one is refused by the server.
      if (seen.status === 'denied' && seen.phone !== undefined)
        await events('phone-link-refused', linkOf(record, seen.phone), request, who.ip);
      return seen;
    },
    // Runs once, for the request that took the accepted link from the store.
    async conclude(userId, observation, request, who) {
      const phone = observation.phone;
      if (phone === undefined) throw new Error('An accepted link names its phone.');
      await events('phone-linked', { userId, ...phone }, request, who.ip);
      const hook = enrollment.onEnrolled;
      return hook
        ? hook(userId, await linkedDevice(client, userId, phone), request)
        : { redirectTo: enrollment.redirectTo ?? '/' };
    },
  };
}

/** The enrollment as the page sees it. */
function observed(record: LoginRecord, state: EnrollmentState): Observation {
  if (state.userId !== record.userId)
    throw new KitError(
      'token_server_bad_response',
      "The Token Server's answer is invalid: the enrollment is another user's.",
    );
  const phone =
    state.deviceId === null
      ? undefined
      : { deviceId: state.deviceId, deviceName: state.deviceName };
  switch (state.status) {
    case 'confirm':
      return {
        status: 'confirm',
        ...(state.compareCode === undefined ? {} : { compareCode: state.compareCode }),
        ...(phone === undefined ? {} : { phone }),
        expiresAt: state.expiresAt,
      };
    case 'accepted':
      if (phone === undefined)
        throw new KitError(
          'token_server_bad_response',
          "The Token Server's answer is invalid: a confirmed link names no device.",
        );
      return { status: 'accepted', userId: state.userId, phone };
    case 'denied':
      return { status: 'denied', ...(phone === undefined ? {} : { phone }) };
    default:
      return { status: state.status };
  }
}

function linkOf(
  record: LoginRecord,
  phone: { deviceId: string; deviceName: string | null },
): { userId: string; deviceId: string; deviceName: string | null } {
  return { userId: record.userId ?? '', ...phone };
}

/** The linked phone as `onEnrolled` is given it: as the user's list of phones has it. */
async function linkedDevice(
  client: RelyingPartyClient,
  userId: string,
  phone: { deviceId: string; deviceName: string | null },
): Promise<LinkedDevice> {
  const listed = (await client.listDevices(userId)).find(
    (device) => device.deviceId === phone.deviceId,
  );
  if (listed !== undefined) return listed;
  const now = new Date().toISOString();
  return {
    deviceId: phone.deviceId,
    userId,
    name: phone.deviceName ?? '',
    createdAt: now,
    revokedAt: null,
    confirmedAt: now,
    // Not in the list (yet), so not known to have a passkey.
    userVerifying: false,
  };
}
