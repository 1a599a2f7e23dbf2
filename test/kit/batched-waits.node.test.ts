/*
 * A website with many logins on screen: the kit holds its waits on the Token Server in a few
 * batched long-polls (POST /authenticate/transactions/wait), not one request a login.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { install } from '@sinonjs/fake-timers';
import { parseLoginStatusResponse } from '../../src/protocol/index.js';
import { RelyingPartyClient } from '../../src/server/kit/relying-party-client.js';
import { ResultWaitBatcher } from '../../src/server/kit/result-wait-batcher.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';
import { nothingHappensFor, until } from '../support/until.js';
import { beforeTheWaitEnds, scan, setUpKit, TestBrowser } from './kit-harness.js';

const BATCH_PATH = '/oauth/api/v4/authenticate/transactions/wait';

/**
 * Real time as part of a scenario, never to synchronise: a Token Server farther away that takes
 * this long to answer, or newcomers that arrive this far apart.
 */
const scenarioDelay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixture's fetch, counting the batched waits in flight and the single long-polls sent. */
function countingTokenServer(
  options: {
    withoutBatchedWait?: boolean;
    /** Answers the first n batches with 503, as a Token Server that is restarting. */
    failingBatches?: number;
    /** Delays every batched answer, as a Token Server farther away does. */
    answerDelayMs?: number;
  } = {},
) {
  const tokenServer = new TokenServerFixture();
  const counts = { batchesInFlight: 0, batchesSent: 0, singleLongPolls: 0, largestBatch: 0 };
  /** The number of logins in each batch in flight. */
  const inFlight = new Set<{ logins: number }>();
  let failing = options.failingBatches ?? 0;
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.searchParams.has('wait')) counts.singleLongPolls += 1;
    if (url.pathname !== BATCH_PATH) return tokenServer.fetch(request);
    if (options.withoutBatchedWait) return new Response('Not Found', { status: 404 });
    const body = (await request.clone().json()) as { transactions: Record<string, string> };
    const batch = { logins: Object.keys(body.transactions).length };
    counts.largestBatch = Math.max(counts.largestBatch, batch.logins);
    counts.batchesSent += 1;
    if (failing > 0) {
      failing -= 1;
      return Response.json({ error: 'server_error' }, { status: 503 });
    }
    counts.batchesInFlight += 1;
    inFlight.add(batch);
    try {
      const response = await tokenServer.fetch(request);
      if (options.answerDelayMs !== undefined) await scenarioDelay(options.answerDelayMs);
      // An aborted request never hands its answer over, as over a real connection.
      request.signal.throwIfAborted();
      return response;
    } finally {
      counts.batchesInFlight -= 1;
      inFlight.delete(batch);
    }
  };
  /** The logins of each batch in flight, largest first: `[50, 50, 20]`. */
  const batchSizes = () => [...inFlight].map((batch) => batch.logins).sort((a, b) => b - a);
  /** How many logins the Token Server holds a wait on. */
  const held = () => tokenServer.server.waiter.size;
  /**
   * Every login in flight is held on the Token Server: no batch is on its way there, or back
   * from a wait that has ended.
   */
  const settled = () => batchSizes().reduce((sum, logins) => sum + logins, 0) === held();
  return { tokenServer, counts, fetch, batchSizes, held, settled };
}

function kitOn(server: ReturnType<typeof countingTokenServer>, onError?: (error: unknown) => void) {
  return setUpKit(
    {
      ...(onError === undefined ? {} : { onError }),
      tokenServer: {
        url: server.tokenServer.base,
        clientId: 'demo',
        clientSecret: 'demo-secret-that-is-long-enough-0123456789',
        fetch: server.fetch,
      },
      maxWaitSeconds: 30,
    },
    server.tokenServer,
  );
}

/** Seconds each browser's poll is held: the tests end when the polls do. */
const POLL_WAIT = 3;

/** `count` browsers, each from its own address, start a login and send a poll on it. */
async function browsersWaiting(kit: ReturnType<typeof kitOn>['kit'], count: number, from = 1) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const browser = new TestBrowser(kit, `198.51.100.${from + index}`);
      const { body } = await browser.start();
      return { browser, body, held: browser.poll('/otp-login', body.id, POLL_WAIT) };
    }),
  );
}

describe('relying-party kit: batched waits on the Token Server', () => {
  it('120 browsers waiting are held in 3 requests of at most 50, and each hears its own scan at once', async () => {
    const server = countingTokenServer();
    const { kit } = kitOn(server);
    const phone = await server.tokenServer.enrollDevice('alice');
    const browsers = await browsersWaiting(kit, 120);
    // Batches with room are merged once they have been held half a second: then 50, 50 and 20
    // (before, newcomers gathered at different moments may be in more, smaller batches).
    await until(
      () =>
        server.settled() && server.held() === 120 && sameSizes(server.batchSizes(), [50, 50, 20]),
      'the 120 logins held in batches of 50, 50 and 20',
    );
    assert.equal(server.counts.batchesInFlight, 3);
    assert.equal(server.counts.largestBatch, 50);
    assert.equal(server.counts.singleLongPolls, 0);

    const [chosen, ...others] = browsers;
    if (chosen === undefined) throw new Error('no browser');
    let othersAnswered = 0;
    for (const { held } of others) void held.then(() => (othersAnswered += 1));
    await scan(server.tokenServer, phone, chosen.body.qr);
    const polled = await beforeTheWaitEnds(chosen.held);
    assert.deepEqual(parseLoginStatusResponse(polled.body), { status: 'scanned' });

    // The others still wait, again in 3 requests: the answered batch went out again without it.
    await until(
      () =>
        server.settled() && server.held() === 119 && sameSizes(server.batchSizes(), [50, 50, 19]),
      'the other 119 logins held again in batches of 50, 50 and 19',
    );
    await nothingHappensFor(200);
    assert.equal(othersAnswered, 0, 'the scan answered another browser');
    assert.equal(server.counts.batchesInFlight, 3);
    assert.equal(server.counts.singleLongPolls, 0);
    // Their waits end unchanged: still pending.
    for (const { held } of others) assert.deepEqual((await held).body, { status: 'pending' });
  });

  it('newcomers join the batch with room: it is sent again merged, so no request is added', async () => {
    // The batcher's clock (performance.now) only: a batch is as old as the test says, while the
    // timers run in real time.
    const clock = install({ toFake: ['performance'] });
    try {
      const server = countingTokenServer();
      const { kit } = kitOn(server);
      const first = await browsersWaiting(kit, 10);
      await until(() => server.settled() && server.held() === 10, 'the first 10 logins held');
      assert.equal(server.counts.batchesInFlight, 1);
      clock.tick(500); // held half a second by now
      const sentBefore = server.counts.batchesSent;
      const later = await browsersWaiting(kit, 5, 11);
      await until(() => server.settled() && server.held() === 15, 'all 15 logins held');
      assert.equal(server.counts.batchesInFlight, 1);
      assert.equal(server.counts.batchesSent, sentBefore + 1);
      assert.equal(server.counts.largestBatch, 15);
      await Promise.all([...first, ...later].map(({ held }) => held));
      // Nobody waits any more: the kit lets its held request go (else it is held for 30 s).
      await until(() => server.counts.batchesInFlight === 0, 'the kit to let its request go');
    } finally {
      clock.uninstall();
    }
  });

  it('against a Token Server without the batched wait, the kit holds one long-poll a login', async () => {
    const server = countingTokenServer({ withoutBatchedWait: true });
    const { kit } = kitOn(server);
    const phone = await server.tokenServer.enrollDevice('bob');
    const [waiting] = await browsersWaiting(kit, 1);
    if (waiting === undefined) throw new Error('no browser');
    await until(() => server.held() === 1, 'the login’s own long-poll held');
    assert.equal(server.counts.singleLongPolls, 1);
    await scan(server.tokenServer, phone, waiting.body.qr);
    const polled = await beforeTheWaitEnds(waiting.held);
    assert.deepEqual(parseLoginStatusResponse(polled.body), { status: 'scanned' });
    assert.equal(kit.relyingParty.supportsLongPoll, true);
  });

  it('a batch that fails is tried again after a pause, not turned into one request a login', async () => {
    const server = countingTokenServer({ failingBatches: 1 });
    const errors: unknown[] = [];
    const { kit } = kitOn(server, (error) => errors.push(error));
    const phone = await server.tokenServer.enrollDevice('carol');
    const waiting = await browsersWaiting(kit, 5);
    await until(() => errors.length === 1, 'the failed batch reported');
    assert.equal(server.counts.singleLongPolls, 0);
    const [chosen] = waiting;
    if (chosen === undefined) throw new Error('no browser');
    // After the pause that follows a failed batch, its logins are held again.
    await until(() => server.settled() && server.held() === 5, 'the 5 logins held again');
    assert.equal(errors.length, 1);
    await scan(server.tokenServer, phone, chosen.body.qr);
    assert.deepEqual((await chosen.held).body, { status: 'scanned' });
    assert.equal(server.counts.singleLongPolls, 0);
    await Promise.all(waiting.map(({ held }) => held));
  });

  it('a stream of newcomers does not keep a farther Token Server from answering a batch', async () => {
    // The batcher itself, with room for all: every newcomer would otherwise merge into the one
    // batch, and a merge that aborted it each time would throw away every answer on its way.
    const server = countingTokenServer({ answerDelayMs: 100 });
    const client = new RelyingPartyClient({
      baseUrl: server.tokenServer.base,
      clientId: 'demo',
      clientSecret: CLIENT_SECRET,
      fetch: server.fetch,
    });
    const batcher = new ResultWaitBatcher(client, { maxBatch: 1000, waitSeconds: 5 });
    const phone = await server.tokenServer.enrollDevice('dora');
    const logins = await Promise.all(
      Array.from({ length: 101 }, () => server.tokenServer.initialize()),
    );
    const [chosen, ...others] = logins;
    if (chosen === undefined) throw new Error('no login');
    const leave = new AbortController();
    const outcome = batcher.wait(chosen.transaction_id, 'pending', 1500, leave.signal);
    // A newcomer every 20 ms for two seconds, longer than the wait; the phone scans a little
    // after they begin.
    let joined = 0;
    const newcomers = (async () => {
      for (const login of others) {
        void batcher.wait(login.transaction_id, 'pending', 4000, leave.signal);
        joined += 1;
        await scenarioDelay(20);
      }
    })();
    await until(() => joined >= 15, 'the stream of newcomers under way');
    const redeemed = await server.tokenServer.mobile(
      phone,
      `/transactions/${chosen.transaction_id}/redeem`,
      { otp: chosen.code },
    );
    assert.equal(redeemed.status, 200);
    const ended = await outcome;
    assert.deepEqual(ended.kind === 'changed' ? ended.result.status : ended.kind, 'scanned');
    await newcomers;
    leave.abort();
  });
});

/** The same batch sizes, largest first. */
function sameSizes(sizes: number[], expected: number[]): boolean {
  return sizes.length === expected.length && sizes.every((size, index) => size === expected[index]);
}
