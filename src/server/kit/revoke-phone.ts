import type { KitRequestContext } from './kit-config.js';
import { KitError } from './kit-errors.js';
import type { ClientAddress } from './client-address.js';
import type { ReportPhoneLinkEvent } from './phone-link-events.js';
import type { RelyingPartyClient } from './relying-party-client.js';

/** `kit.revokePhone`: revokes a phone of a user, and reports it. */
export type RevokePhone = (
  userId: string,
  deviceId: string,
  request?: Request,
  context?: KitRequestContext,
) => Promise<void>;

/**
 * Revokes phone `deviceId` of `userId` at the Token Server, and fires `phone-revoked`. The Token
 * Server would revoke any phone of this website's client, so the kit first checks in the user's
 * own list that the phone is theirs and still linked: a device id from a form cannot revoke
 * another user's phone. Anything else is a `KitError` `phone_not_found`, and nothing changes.
 * `request` (the browser that asked) gives the event its address and User-Agent.
 */
export function revokePhone(parts: {
  client: RelyingPartyClient;
  clientAddress: ClientAddress;
  events: ReportPhoneLinkEvent;
}): RevokePhone {
  const { client, clientAddress, events } = parts;
  return async (userId, deviceId, request, context = {}) => {
    if (typeof userId !== 'string' || userId === '')
      throw new TypeError('revokePhone needs the user whose phone it is.');
    if (typeof deviceId !== 'string') throw new TypeError('revokePhone needs a device id.');
    const phone = (await client.listDevices(userId)).find(
      (device) => device.deviceId === deviceId && device.revokedAt === null,
    );
    if (phone === undefined)
      throw new KitError('phone_not_found', `${userId} has no linked phone of that id.`);
    await client.revokeDevice(deviceId);
    await events(
      'phone-revoked',
      { userId, deviceId, deviceName: phone.name === '' ? null : phone.name },
      request,
      request === undefined ? undefined : clientAddress(request, context),
    );
  };
}
