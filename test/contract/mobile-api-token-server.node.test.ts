/*
 * The mobile API contract against the reference Token Server: in this process on a clock of its
 * own, behind a real HTTP port, and driven as a website drives it (the relying-party API starts
 * logins, makes enrollment codes and revokes phones).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe } from '#spec';
import { decodeEnrollmentPayload, type LoginStatus } from '../../src/protocol/index.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { mobileApiContract, type MobileApiSide } from './mobile-api-contract.js';

const CLOCK_SKEW_MS = 120_000;
/** The test configuration's login types keep the default time to live. */
const LOGIN_TIME_TO_LIVE_MS = 60_000;
const ENROLLMENT_TIME_TO_LIVE_MS = 300_000;
/** Calls a phone address may make; used up on purpose by exceedRateLimit. */
const PER_IP_POINTS = 3;
const PHONE_IP = '198.51.100.7';

async function tokenServerSide(): Promise<MobileApiSide> {
  const fixture = new TokenServerFixture(undefined, {
    clockSkewMs: CLOCK_SKEW_MS,
    enrollmentTimeToLiveMs: ENROLLMENT_TIME_TO_LIVE_MS,
    rateLimits: {
      perIp: { points: PER_IP_POINTS, durationSeconds: 60 },
      perClient: { points: 6000, durationSeconds: 60 },
    },
  });
  fixture.now = Date.now();
  // The fixture takes the caller's address from x-test-ip; without one, no per-IP limit applies.
  let phoneIp: string | undefined;
  const http = await new Promise<Server>((resolve) => {
    const started = serve(
      {
        fetch: (request: Request) => {
          const headers = new Headers(request.headers);
          if (phoneIp !== undefined) headers.set('x-test-ip', phoneIp);
          return fixture.server.app.fetch(new Request(request, { headers }));
        },
        hostname: '127.0.0.1',
        port: 0,
      },
      () => {
        resolve(started);
      },
    ) as Server;
  });
  const tokenServerUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const side: MobileApiSide = {
    tokenServerUrl,
    clockSkewMs: CLOCK_SKEW_MS,
    loginTimeToLiveMs: LOGIN_TIME_TO_LIVE_MS,
    enrollmentTimeToLiveMs: ENROLLMENT_TIME_TO_LIVE_MS,
    now: () => fixture.now,
    advance: (ms) => {
      fixture.now += ms;
    },
    fetch: (request) => fetch(request),
    async enrollmentCode(userId, displayName) {
      const form = new URLSearchParams({ user_id: userId });
      if (displayName !== undefined) form.set('display_name', displayName);
      const response = await fixture.relyingParty('/enrollments', {
        method: 'POST',
        body: form.toString(),
      });
      if (response.status !== 200) throw new Error(`enrollments: ${await response.text()}`);
      return decodeEnrollmentPayload(((await response.json()) as { code: string }).code);
    },
    async startLogin(options = {}) {
      const fields: Record<string, string> = {};
      if (options.numberMatching === true) fields.type = 'otp_match';
      if (options.userId !== undefined) {
        fields.type = 'second_factor';
        fields.user_id = options.userId;
      }
      const started = await fixture.initialize(fields);
      return {
        transactionId: started.transaction_id,
        otp: started.code,
        ...(started.number_match_code === undefined
          ? {}
          : { numberMatchCode: started.number_match_code }),
      };
    },
    async loginState(transactionId) {
      const { status, body } = await fixture.result(transactionId);
      return status === 200 ? (body.status as LoginStatus) : undefined;
    },
    async revokeDevice(deviceId) {
      const response = await fixture.relyingParty(`/devices/${deviceId}`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`revoke: ${await response.text()}`);
    },
    async exceedRateLimit() {
      phoneIp = PHONE_IP;
      for (let call = 0; call < PER_IP_POINTS; call += 1) {
        await fetch(`${tokenServerUrl}/api/mobile/v1/transactions/x/redeem`, { method: 'POST' });
      }
    },
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve();
        });
      });
      await fixture.server.close();
    },
  };
  return side;
}

describe('the mobile API contract: the reference Token Server', () => {
  mobileApiContract(tokenServerSide);
});
