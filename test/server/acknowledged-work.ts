/*
 * Bounded load on a Token Server that remembers what the server acknowledged, for fault tests:
 * phones linked (201) and logins answered (200 `accepted`). After a crash and a restart,
 * `lostOf` reads each of them back; a durable setup loses none.
 */
import assert from 'node:assert/strict';
import { TokenServerClient } from './token-server-fixture.js';

export interface AcknowledgedWork {
  /** Phones the server said it linked: user and device id. */
  readonly devices: { userId: string; deviceId: string }[];
  /** Logins the server said were accepted. */
  readonly answers: string[];
  /** Calls that failed (refused, cut off, 503): expected while the server or store is down. */
  failures: number;
}

/** A running load: `stop()` ends it once the calls in flight have settled. */
export interface Load {
  readonly work: AcknowledgedWork;
  stop(): Promise<void>;
}

/**
 * The bounds of a load, whatever its test does: a test that fails before it stops its load must
 * not leave callers running (its process would never exit). Long enough for the slowest fault
 * test (about two minutes of waits at most); each call gives up as a failure after CALL_LIMIT_MS.
 */
const LOAD_LIMIT_MS = 180_000;
const ROUNDS_LIMIT = 20_000;
const CALL_LIMIT_MS = 10_000;

/**
 * `workers` callers, each linking a phone, then logging in with it and accepting, again and
 * again, until stopped (or the bounds above are reached). Each caller is one user; a failed call
 * is counted and the caller goes on with its next round (after the server is back, the same flows
 * work again).
 */
export function startLoad(baseUrl: string, workers: number): Load {
  const work: AcknowledgedWork = { devices: [], answers: [], failures: 0 };
  let stopped = false;
  let rounds = 0;
  const bound = setTimeout(() => {
    stopped = true;
  }, LOAD_LIMIT_MS);
  bound.unref();
  const client = new TokenServerClient(baseUrl, (request) =>
    fetch(request, { signal: AbortSignal.timeout(CALL_LIMIT_MS) }),
  );

  async function round(userId: string): Promise<void> {
    client.now = Date.now();
    const phone = await client.enrollDevice(userId);
    work.devices.push({ userId, deviceId: phone.deviceId });
    const login = await client.initialize();
    client.now = Date.now();
    const redeemed = await client.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
      otp: login.code,
    });
    if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status}`);
    client.now = Date.now();
    const answered = await client.mobile(phone, `/transactions/${login.transaction_id}/answer`, {
      answer: 'accept',
    });
    if (answered.status !== 200 || answered.body.status !== 'accepted') {
      throw new Error(`answer: ${answered.status}`);
    }
    work.answers.push(login.transaction_id);
  }

  async function caller(index: number): Promise<void> {
    while (!stopped && rounds < ROUNDS_LIMIT) {
      rounds += 1;
      try {
        await round(`load-user-${index}`);
      } catch {
        work.failures += 1;
        // Part of the load, not a wait: a refused connection fails at once, and a caller that
        // tried again at once would spin while the server is down.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  const running = Promise.all(Array.from({ length: workers }, (_, index) => caller(index)));
  return {
    work,
    async stop() {
      stopped = true;
      clearTimeout(bound);
      await running;
    },
  };
}

/** What of `work` the server at `baseUrl` no longer knows, as readable lines (empty: nothing). */
export async function lostOf(baseUrl: string, work: AcknowledgedWork): Promise<string[]> {
  const client = new TokenServerClient(baseUrl, (request) => fetch(request));
  const lost: string[] = [];
  const users = new Set(work.devices.map((device) => device.userId));
  for (const userId of users) {
    const response = await client.relyingParty(`/users/${userId}/devices`);
    assert.equal(response.status, 200, `devices of ${userId}`);
    const { devices } = (await response.json()) as { devices: { device_id: string }[] };
    const known = new Set(devices.map((device) => device.device_id));
    for (const device of work.devices) {
      if (device.userId === userId && !known.has(device.deviceId)) {
        lost.push(`linked phone ${device.deviceId} of ${userId}`);
      }
    }
  }
  for (const transactionId of work.answers) {
    const { body } = await client.result(transactionId);
    if (body.status !== 'accepted') {
      lost.push(`accepted login ${transactionId}, now ${String(body.status)}`);
    }
  }
  return lost;
}
