/*
 * A phone app in a browser test: an Onegini instance of its own, a recording listener, and the
 * mocked Token Server mobile API (src/mocks) in MSW's worker.
 */
import { expect } from 'chai';
import { MobileApiMock, type MobileApiMockOptions } from '../../src/mocks/index.js';
import {
  MemoryDeviceStorage,
  Onegini,
  OneginiError,
  OneginiOtpAcceptDenyCallback,
  type DeviceStorage,
  type OneginiConfig,
  type OneginiUserProfile,
} from '../../src/sdk/index.js';
import { mockServer, startMockServer } from '../support/mock-server.js';
import { listedProfile } from './listed-profile.js';
import { RecordingListener } from './recording-listener.js';

let workerStarted = false;

export interface Harness {
  mock: MobileApiMock;
  onegini: Onegini;
  listener: RecordingListener;
  storage: DeviceStorage;
  callback: OneginiOtpAcceptDenyCallback;
  /** Requests that reached fetch, as `METHOD path`. */
  fetched: string[];
  /**
   * Links the phone with a new code, and confirms the link as the website's user does; resolves
   * with the profile as the SDK lists it (without the compare code).
   */
  enroll(): Promise<OneginiUserProfile>;
}

/** Sets up a started SDK over a fresh mock; the worker starts on the first call. */
export async function createHarness(
  options: MobileApiMockOptions = {},
  config: Partial<OneginiConfig> = {},
): Promise<Harness> {
  const mock = new MobileApiMock(options);
  if (workerStarted) mockServer.resetHandlers(...mock.handlers);
  else await startMockServer(...mock.handlers);
  workerStarted = true;
  const onegini = new Onegini();
  const listener = new RecordingListener(onegini);
  const storage = config.storage ?? new MemoryDeviceStorage();
  const fetched: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    fetched.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return (config.fetch ?? fetch)(input, init);
  };
  await onegini.startApplication(listener, {
    tokenServerUrl: mock.tokenServerUrl,
    deviceName: 'Browser test phone',
    ...config,
    storage,
    fetch: countingFetch,
  });
  return {
    mock,
    onegini,
    listener,
    storage,
    fetched,
    callback: new OneginiOtpAcceptDenyCallback(onegini),
    enroll: async () => {
      const code = mock.enrollmentCode();
      const profile = await onegini.userClient.enrollMobileAuthentication(code);
      expect(mock.confirmLink(code), 'the website confirms the link').to.equal(true);
      return listedProfile(profile);
    },
  };
}

/** The OneginiError a promise rejects with (fails the test if it resolves or throws another). */
export async function rejectionOf(promise: Promise<unknown>): Promise<OneginiError> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(OneginiError);
    return error as OneginiError;
  }
  expect.fail('expected the promise to reject');
}
