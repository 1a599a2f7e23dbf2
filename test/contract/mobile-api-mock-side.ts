/*
 * The MSW mock (src/mocks' MobileApiMock) as a side of the mobile API contract, on a clock of
 * its own. `install` hands its handlers to MSW: setupServer in Node, the worker in browsers.
 */
import type { RequestHandler } from 'msw';
import { MobileApiMock } from '../../src/mocks/index.js';
import {
  decodeEnrollmentPayload,
  randomNumberMatchCode,
  type RequesterPlace,
} from '../../src/protocol/index.js';
import type { MobileApiSide } from './mobile-api-contract.js';

const CLOCK_SKEW_MS = 120_000;
const LOGIN_TIME_TO_LIVE_MS = 60_000;
const ENROLLMENT_TIME_TO_LIVE_MS = 300_000;
/** The scanner app's origin; the mock takes passkeys from any. */
const APP_ORIGIN = 'https://scan.example';
/** Where the mocked website's browser seems to be; the mock knows no phone's place. */
const BROWSER_PLACE: RequesterPlace = {
  city: 'Amsterdam',
  country: 'NL',
  operator: 'KPN B.V.',
  distance_km: null,
  credit: 'IP geolocation by DB-IP (db-ip.com)',
};

export function mockSide(
  install: (handlers: RequestHandler[]) => void | Promise<void>,
): () => Promise<MobileApiSide> {
  return async () => {
    let now = Date.now();
    const mock = new MobileApiMock({
      tokenServerUrl: 'https://tokens.contract.test',
      now: () => now,
      clockSkewMs: CLOCK_SKEW_MS,
      timeToLiveMs: LOGIN_TIME_TO_LIVE_MS,
      enrollmentTimeToLiveMs: ENROLLMENT_TIME_TO_LIVE_MS,
      place: BROWSER_PLACE,
    });
    await install(mock.handlers);
    return {
      browserPlace: BROWSER_PLACE,
      tokenServerUrl: mock.tokenServerUrl,
      clockSkewMs: CLOCK_SKEW_MS,
      loginTimeToLiveMs: LOGIN_TIME_TO_LIVE_MS,
      enrollmentTimeToLiveMs: ENROLLMENT_TIME_TO_LIVE_MS,
      now: () => now,
      advance: (ms) => {
        now += ms;
      },
      fetch: (request) => fetch(request),
      enrollmentCode: (userId, displayName) =>
        Promise.resolve(
          decodeEnrollmentPayload(
            mock.enrollmentCode({ userId, displayName: displayName ?? null }),
          ),
        ),
      linkState: (enrollmentId) => {
        const state = mock.enrollmentState(enrollmentId);
        if (state === undefined) return Promise.resolve(undefined);
        const { status, compareCode } = state;
        return Promise.resolve(compareCode === undefined ? { status } : { status, compareCode });
      },
      confirmLink: (enrollmentId, matches) => {
        if (!mock.confirmLink(enrollmentId, matches)) {
          throw new Error(`the link of ${enrollmentId} does not wait for the website`);
        }
        return Promise.resolve();
      },
      startLogin: (options = {}) =>
        Promise.resolve(
          mock.startLogin(undefined, {
            ...(options.numberMatching === true
              ? { numberMatchCode: randomNumberMatchCode() }
              : {}),
            ...(options.userId === undefined ? {} : { userId: options.userId }),
            ...(options.proofOfPresence === true ? { proofOfPresence: 'always' } : {}),
            ...(options.userVerification === undefined
              ? {}
              : { userVerification: options.userVerification }),
          }),
        ),
      loginState: (transactionId) => Promise.resolve(mock.loginState(transactionId)),
      typePresenceCode: (transactionId, code) =>
        Promise.resolve(mock.provePresence(transactionId, code)),
      revokeDevice: (deviceId) => {
        if (!mock.revokeDevice(deviceId)) throw new Error(`no device ${deviceId}`);
        return Promise.resolve();
      },
      appOrigin: APP_ORIGIN,
      userVerifying: (deviceId) => Promise.resolve(mock.userVerifying(deviceId)),
      exceedRateLimit: () => {
        mock.scenario = 'rate-limited';
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
  };
}
