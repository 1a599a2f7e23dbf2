/*
 * MSW in browser tests: one worker for the whole test file, served at the root scope by
 * web-test-runner.config.mjs. A request that no handler answers is an error
 * (`onUnhandledRequest: 'error'`: MSW logs it and answers 500), and it is recorded, so that
 * `expectNoUnhandledRequests()` in an afterEach hook fails the test that made it.
 */
import { expect } from 'chai';
import type { RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';

export const mockServer = setupWorker();

const unhandledRequests: string[] = [];
mockServer.events.on('request:unhandled', ({ request }) => {
  unhandledRequests.push(`${request.method} ${new URL(request.url).pathname}`);
});

/** Starts the worker with `handlers` as the defaults; call it before the first request. */
export async function startMockServer(...handlers: RequestHandler[]): Promise<void> {
  mockServer.resetHandlers(...handlers);
  await mockServer.start({
    onUnhandledRequest: 'error',
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
  });
}

/** The unhandled requests since the last call, which also forgets them. */
export function takeUnhandledRequests(): string[] {
  return unhandledRequests.splice(0);
}

/** Fails when a request reached no handler; use it in afterEach. */
export function expectNoUnhandledRequests(): void {
  expect(takeUnhandledRequests(), 'requests that no handler answered').to.deep.equal([]);
}
