import { decodeEnrollmentPayload, isDisplayName } from '../../protocol/index.js';
import type { OtpLoginKitConfig } from './kit-config.js';
import type { KitFlow } from './kit-flow.js';
import type { RelyingPartyClient } from './relying-party-client.js';
import type { TransactionWaker } from './transaction-waker.js';

/**
 * Linking a phone to the logged-in user (the reference server's enrollment extension). There is
 * no transaction result to read: the kit lists the user's phones, and the link is made when one
 * appears that was not there at the start (`accepted`); after the code's time it is `expired`,
 * else `pending` (never `scanned`). `onEnrolled` hears of the new phone.
 */
export function enrollmentFlow(
  enrollment: NonNullable<OtpLoginKitConfig['enrollment']>,
  parts: {
    client: RelyingPartyClient;
    waker: TransactionWaker;
    upstreamPollMs: number;
    report: (error: unknown) => void;
  },
): KitFlow {
  const { client, waker, upstreamPollMs, report } = parts;
  return {
    kind: 'enrollment',
    path: enrollment.path,
    userOf: enrollment.userId,
    async begin(request, who) {
      const user = who.userId ?? '';
      const known = (await client.listDevices(user)).map((device) => device.deviceId);
      const named = await enrollment.displayName?.(user, request);
      // The site's bug must not stop the user linking: it hears of it, the phone shows the id.
      const displayName = named === undefined || isDisplayName(named) ? named : undefined;
      if (named !== displayName)
        report(
          new TypeError(
            'enrollment.displayName returned a name the phone must not show (see isDisplayName); the phone is linked without it.',
          ),
        );
      const started = await client.startEnrollment(user, displayName);
      decodeEnrollmentPayload(started.code);
      return {
        transactionId: started.enrollmentId,
        code: started.code,
        timeToLive: started.timeToLive,
        knownDeviceIds: known,
      };
    },
    async observe(record, wait, signal) {
      const deadline = performance.now() + wait * 1000;
      const known = new Set(record.knownDeviceIds ?? []);
      const userId = record.userId ?? '';
      for (;;) {
        const devices = await client.listDevices(userId, signal);
        const linked = devices.find(
          (device) => !known.has(device.deviceId) && device.revokedAt === null,
        );
        if (linked) return { status: 'accepted', userId, device: linked };
        if (Date.now() >= record.expiresAt) return { status: 'expired' };
        const remaining = deadline - performance.now();
        if (remaining < 50 || signal.aborted) return { status: 'pending' };
        const reason = await waker.wait(
          record.transactionId,
          Math.min(upstreamPollMs, remaining),
          signal,
        );
        if (reason === 'aborted') return { status: 'pending' };
      }
    },
    async conclude(userId, observation, request) {
      const hook = enrollment.onEnrolled;
      return hook && observation.device
        ? hook(userId, observation.device, request)
        : { redirectTo: enrollment.redirectTo ?? '/' };
    },
  };
}
