/*
 * What the SDK reads of the Token Server's answers: at most MOBILE_API_MAX_BODY_BYTES, stopped
 * while it streams, so that a broken or hostile server cannot make the phone buffer without end.
 */
import { expect } from 'chai';
import { describe, it } from '#spec';
import { MOBILE_API_MAX_BODY_BYTES, SDK_ERRORS } from '../../src/protocol/index.js';
import { generateDeviceKey } from '../../src/sdk/device-key.js';
import {
  BrowserPasskeyAuthenticator,
  MemoryDeviceStorage,
  OneginiError,
  OneginiHttpError,
} from '../../src/sdk/index.js';
import { MobileApiClient } from '../../src/sdk/mobile-api-client.js';
import { ServerClock } from '../../src/sdk/server-clock.js';
import { endlessBody, rejectionOf } from '../support/endless-body.js';

/** An answer that never ends, with `status` and `headers`; `state` as endlessBody's. */
function endlessAnswer(status: number, headers: Record<string, string> = {}) {
  const { body, state } = endlessBody();
  const response = new Response(body, {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  return { response, state };
}

/** A client whose Token Server answers every call with `response`. */
async function clientAnswering(response: Response) {
  const { privateKey } = await generateDeviceKey();
  const client = new MobileApiClient(
    {
      tokenServerUrl: 'https://tokens.example.com',
      storage: new MemoryDeviceStorage(),
      deviceName: 'Test phone',
      requestTimeoutMs: 5_000,
      fetch: () => Promise.resolve(response),
      passkeyAuthenticator: new BrowserPasskeyAuthenticator(),
    },
    new ServerClock(),
  );
  return { client, signer: { privateKey, deviceId: 'device-1' } };
}

/** The OneginiError `promise` rejects with (fails the test on any other outcome). */
async function oneginiRejectionOf(promise: Promise<unknown>): Promise<OneginiError> {
  const error = await rejectionOf(promise);
  expect(error, String(error)).to.be.instanceOf(OneginiError);
  return error as OneginiError;
}

describe('the SDK reading the Token Server’s answers', () => {
  it('refuses an answer that never ends with GENERAL_ERROR, stopping just past the cap', async () => {
    const { response, state } = endlessAnswer(200);
    const { client, signer } = await clientAnswering(response);
    const error = await oneginiRejectionOf(client.redeem(signer, 'tx-1', 'otp'));
    expect(error.code).to.equal(SDK_ERRORS.GENERAL_ERROR.code);
    expect(error.message).to.match(/larger than/);
    expect(state.sent).to.be.at.most(MOBILE_API_MAX_BODY_BYTES + 1024);
    expect(state.cancelled).to.equal(true);
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    const { response, state } = endlessAnswer(200, {
      'Content-Length': String(64 * 1024 * 1024),
    });
    const { client, signer } = await clientAnswering(response);
    const error = await oneginiRejectionOf(client.redeem(signer, 'tx-1', 'otp'));
    expect(error.code).to.equal(SDK_ERRORS.GENERAL_ERROR.code);
    expect(state.sent).to.equal(0);
  });

  it('decides a huge error answer by its status alone', async () => {
    const { response, state } = endlessAnswer(503);
    const { client, signer } = await clientAnswering(response);
    const error = await oneginiRejectionOf(client.redeem(signer, 'tx-1', 'otp'));
    expect(error).to.be.instanceOf(OneginiHttpError);
    expect(error.code).to.equal(SDK_ERRORS.SERVER_NOT_REACHABLE.code);
    expect(state.sent).to.be.at.most(MOBILE_API_MAX_BODY_BYTES + 1024);
  });
});
