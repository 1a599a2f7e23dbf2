/*
 * The full login cycle as bench:server drives it: the website initializes a login, the phone
 * redeems the OTP and accepts, the website reads the result. 16 loops, each with its own linked
 * phone; every request is timed.
 */
import { decodeQrPayload } from '../../src/protocol/index.js';
import { CLIENT_SECRET, TokenServerClient } from '../../test/server/token-server-fixture.js';
import type { TokenServerProcess } from '../../test/support/token-server-process.js';
import { createBenchPhone, type BenchPhone } from './bench-phone.js';
import { CONCURRENCY, drive, timed, type LoadResult } from './load.js';

const WEBSITE_AUTHORIZATION = `Basic ${Buffer.from(`demo:${CLIENT_SECRET}`).toString('base64')}`;

export async function linkPhone(client: TokenServerClient): Promise<BenchPhone> {
  const phone = createBenchPhone();
  const response = await client.completeEnrollment(phone, await client.startEnrollment('alice'));
  if (response.status !== 201) throw new Error(`enroll: ${response.status}`);
  phone.deviceId = ((await response.json()) as { device_id: string }).device_id;
  return phone;
}

async function website(url: string, body?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers:
      body === undefined
        ? { authorization: WEBSITE_AUTHORIZATION }
        : {
            authorization: WEBSITE_AUTHORIZATION,
            'content-type': 'application/x-www-form-urlencoded',
          },
    ...(body === undefined ? {} : { body }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`website call: ${response.status}`);
  return json;
}

export async function fullCycle(
  server: TokenServerProcess,
  callbackUri: string,
): Promise<LoadResult> {
  const client = new TokenServerClient(server.url, (request) => fetch(request));
  const phones = await Promise.all(Array.from({ length: CONCURRENCY }, () => linkPhone(client)));
  const initializeBody = new URLSearchParams({ type: 'otp', callback_uri: callbackUri }).toString();
  const api = `${server.url}/oauth/api/v4/authenticate`;
  const mobile = `${server.url}/api/mobile/v1/transactions`;
  return drive(async (index) => {
    const phone = phones[index];
    if (phone === undefined) throw new Error('no phone');
    const timings: number[] = [];
    const login = await timed(timings, () => website(`${api}/user`, initializeBody));
    const id = String(login.transaction_id);
    const payload = decodeQrPayload(String(login.otp));
    if (payload.kind !== 'authentication') throw new Error('not a login code');
    const redeemed = await timed(timings, () =>
      phone.post(`${mobile}/${id}/redeem`, { otp: payload.otp }),
    );
    if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status}`);
    const answered = await timed(timings, () =>
      phone.post(`${mobile}/${id}/answer`, { answer: 'accept' }),
    );
    if (answered.status !== 200) throw new Error(`answer: ${answered.status}`);
    const result = await timed(timings, () => website(`${api}/transaction/${id}`));
    if (result.status !== 'accepted') throw new Error(`cycle ended ${String(result.status)}`);
    return timings;
  });
}
