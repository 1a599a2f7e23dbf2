/*
 * The mobile API contract against the MSW mock in Node (msw/node's setupServer), as users'
 * tests run it. A request that no handler answers fails the test.
 */
import { after, before } from 'node:test';
import { setupServer } from 'msw/node';
import { describe } from '#spec';
import { mobileApiContract } from './mobile-api-contract.js';
import { mockSide } from './mobile-api-mock-side.js';

const server = setupServer();
before(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
after(() => {
  server.close();
});

describe('the mobile API contract: MobileApiMock in Node', () => {
  mobileApiContract(
    mockSide((handlers) => {
      server.resetHandlers(...handlers);
    }),
  );
});
