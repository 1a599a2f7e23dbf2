import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, it } from '#spec';
import {
  expectNoUnhandledRequests,
  mockServer,
  startMockServer,
  takeUnhandledRequests,
} from '../support/mock-server.js';

describe('the mocked API in browser tests', () => {
  afterEach(() => {
    mockServer.resetHandlers();
    expectNoUnhandledRequests();
  });

  it('answers with the default handlers', async () => {
    await startMockServer(http.get('/api/ping', () => HttpResponse.json({ pong: true })));

    const response = await fetch('/api/ping');

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ pong: true });
  });

  it('lets one test override a handler', async () => {
    mockServer.use(
      http.get('/api/ping', () => HttpResponse.json({ error: 'slow_down' }, { status: 429 })),
    );

    const response = await fetch('/api/ping');

    expect(response.status).to.equal(429);
  });

  it('records a request that no handler answers, and answers it with an error', async () => {
    const response = await fetch('/api/not-mocked');

    expect(response.ok).to.equal(false);
    expect(takeUnhandledRequests()).to.deep.equal(['GET /api/not-mocked']);
  });
});
