/*
 * The mobile API contract against the MSW mock in browsers, under MSW's service worker: the mock
 * uses only Web standards (WebCrypto), and behaves there as in Node and as the real server.
 */
import { describe } from '#spec';
import { mockServer, startMockServer } from '../support/mock-server.js';
import { mobileApiContract } from './mobile-api-contract.js';
import { mockSide } from './mobile-api-mock-side.js';

let workerStarted = false;

describe('the mobile API contract: MobileApiMock in the browser', () => {
  mobileApiContract(
    mockSide(async (handlers) => {
      if (workerStarted) mockServer.resetHandlers(...handlers);
      else await startMockServer(...handlers);
      workerStarted = true;
    }),
  );
});
