/*
 * The mobile API contract against the reference Token Server: in this process on a clock of its
 * own, behind a real HTTP port, and driven as a website drives it (the relying-party API starts
 * logins, makes enrollment codes and revokes phones).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe } from '#spec';
import * as v from 'valibot';
import {
  decodeEnrollmentPayload,
  DeviceListResponse,
  isLoginStatus,
  type EnrollmentStatus,
  type LoginStatus,
  type RequesterPlace,
} from '../../src/protocol/index.js';
import type { IpLocator } from '../../src/server/token-server/ip-location/ip-locator.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { mobileApiContract, type MobileApiSide } from './mobile-api-contract.js';

const CLOCK_SKEW_MS = 120_000;
/** The test configuration's login types keep the default time to live. */
const LOGIN_TIME_TO_LIVE_MS = 60_000;
const ENROLLMENT_TIME_TO_LIVE_MS = 300_000;
/** Calls a phone address may make; used up on purpose by exceedRateLimit. */
const PER_IP_POINTS = 3;
const PHONE_IP = '198.51.100.7';
/** Where the website says the browsers of its logins are, and the place this side's database knows. */
const BROWSER_IP = '203.0.113.7';
const BROWSER_PLACE: RequesterPlace = {
  city: 'Amsterdam',
  country: 'NL',
  operator: 'KPN B.V.',
  // The phones call from loopback, which says nothing of a place.
  distance_km: null,
  credit: 'IP geolocation by DB-IP (db-ip.com)',
};
/** An IP database that knows one address. */
const ipLocator: IpLocator = {
  locate: (ip) =>
    ip === BROWSER_IP
      ? { city: 'Amsterdam', country: 'NL', latitude: 52.37, longitude: 4.89, operator: 'KPN B.V.' }
      : null,
  attribution: 'IP geolocation by DB-IP (db-ip.com)',
};

async function tokenServerSide(): Promise<MobileApiSide> {
  const fixture = new TokenServerFixture(
    undefined,
    {
      clockSkewMs: CLOCK_SKEW_MS,
      enrollmentTimeToLiveMs: ENROLLMENT_TIME_TO_LIVE_MS,
      rateLimits: {
        perIp: { points: PER_IP_POINTS, durationSeconds: 60 },
        perClient: { points: 6000, durationSeconds: 60 },
      },
    },
    undefined,
    ipLocator,
  );
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
    browserPlace: BROWSER_PLACE,
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
    async linkState(enrollmentId) {
      const { status, body } = await fixture.linkStatus(enrollmentId);
      if (status !== 200) return undefined;
      return {
        status: body.status as EnrollmentStatus,
        ...(typeof body.compare_code === 'string' ? { compareCode: body.compare_code } : {}),
      };
    },
    async confirmLink(enrollmentId, matches) {
      const { status, body } = await fixture.confirmLink(enrollmentId, matches);
      if (status !== 200) throw new Error(`confirm: ${status} ${JSON.stringify(body)}`);
    },
    async startLogin(options = {}) {
      const fields: Record<string, string> = { ip_address: BROWSER_IP };
      if (options.numberMatching === true) fields.type = 'otp_match';
      if (options.proofOfPresence === true) fields.type = 'otp_presence';
      if (options.userId !== undefined) {
        fields.type = 'second_factor';
        fields.user_id = options.userId;
      }
      if (options.userVerification === 'required') fields.type = 'otp_verified';
      if (options.userVerification === 'preferred') fields.type = 'otp_verified_if_able';
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
    async typePresenceCode(transactionId, code) {
      const { status, body } = await fixture.typePresenceCode(transactionId, code);
      // A code that counted answers the login's result; one that did not, an error: read it.
      if (status === 200 && isLoginStatus(body.status)) return body.status;
      return side.loginState(transactionId);
    },
    async revokeDevice(deviceId) {
      const response = await fixture.relyingParty(`/devices/${deviceId}`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`revoke: ${await response.text()}`);
    },
    // The test config's app origin, where passkeys are made and used.
    appOrigin: 'https://scan.example',
    async userVerifying(deviceId) {
      // The contract's phones belong to these two users.
      for (const userId of ['alice@example.com', 'bob@example.com']) {
        const response = await fixture.relyingParty(`/users/${encodeURIComponent(userId)}/devices`);
        const { devices } = v.parse(DeviceListResponse, await response.json());
        const device = devices.find((candidate) => candidate.device_id === deviceId);
        if (device !== undefined) return device.user_verifying;
      }
      throw new Error(`no device ${deviceId}`);
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
