/*
 * The kit's list of a user's phones (issue 18): read with the protocol's DeviceListResponse, it
 * says which phones verify their user (a passkey: a fingerprint or face before a login), as the
 * website's account page shows them; an answer of another shape is a typed error.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KitError } from '../../src/server/kit/index.js';
import { RelyingPartyClient } from '../../src/server/kit/relying-party-client.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';

const servers: TokenServerFixture[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.server.close();
});

function clientOf(fetch: (request: Request) => Promise<Response>): RelyingPartyClient {
  return new RelyingPartyClient({
    baseUrl: 'http://token-server.test',
    clientId: 'demo',
    clientSecret: CLIENT_SECRET,
    fetch,
  });
}

/** A Token Server that answers the device list with `body`, as an older or broken one might. */
function answering(body: unknown): RelyingPartyClient {
  return clientOf(() => Promise.resolve(Response.json(body)));
}

const LISTED = {
  device_id: '36f58947448af875d0cd2eb3f07fde65',
  user_id: 'alice',
  name: 'Pixel 8',
  created_at: '2026-01-01T00:00:00.000Z',
  confirmed_at: '2026-01-01T00:00:20.000Z',
  revoked_at: null,
};

describe('the kit’s list of a user’s phones', () => {
  it('says which phones ask for a fingerprint or face, as the Token Server knows them', async () => {
    const tokenServer = new TokenServerFixture();
    servers.push(tokenServer);
    const tapping = await tokenServer.enrollDevice('alice');
    const verifying = await tokenServer.enrollDevice('alice');
    const registered = await tokenServer.registerPasskey(verifying, new SoftwareAuthenticator());
    assert.equal(registered.status, 200, await registered.clone().text());

    const devices = await clientOf((request) => tokenServer.fetch(request)).listDevices('alice');
    assert.deepEqual(
      devices.map((device) => [device.deviceId, device.userVerifying]),
      [
        [tapping.deviceId, false],
        [verifying.deviceId, true],
      ],
    );
    assert.equal(devices.at(1)?.name, 'Test phone');
    assert.notEqual(devices.at(1)?.confirmedAt, null);
    assert.equal(devices.at(1)?.revokedAt, null);
  });

  it('reads a server that does not say as tapping phones, linked as they were made', async () => {
    const [device] = await answering({
      devices: [{ ...LISTED, confirmed_at: undefined }],
    }).listDevices('alice');
    assert.deepEqual(device, {
      deviceId: LISTED.device_id,
      userId: 'alice',
      name: 'Pixel 8',
      createdAt: LISTED.created_at,
      revokedAt: null,
      confirmedAt: LISTED.created_at,
      userVerifying: false,
    });
  });

  it('keeps a pending link pending and a revoked phone revoked', async () => {
    const devices = await answering({
      devices: [
        { ...LISTED, confirmed_at: null, user_verifying: true },
        { ...LISTED, revoked_at: '2026-01-02T00:00:00.000Z' },
      ],
    }).listDevices('alice');
    assert.deepEqual(
      devices.map((device) => [device.confirmedAt, device.revokedAt, device.userVerifying]),
      [
        [null, null, true],
        [LISTED.confirmed_at, '2026-01-02T00:00:00.000Z', false],
      ],
    );
  });

  it('refuses an answer that is not a list of phones, with token_server_bad_response', async () => {
    for (const body of [
      {},
      { devices: 'none' },
      { devices: [{ ...LISTED, device_id: '../admin' }] },
      { devices: [{ ...LISTED, user_verifying: 'yes' }] },
      { devices: [{ ...LISTED, created_at: 'yesterday' }] },
    ]) {
      await assert.rejects(
        answering(body).listDevices('alice'),
        (error: unknown) => error instanceof KitError && error.code === 'token_server_bad_response',
        JSON.stringify(body),
      );
    }
  });
});
