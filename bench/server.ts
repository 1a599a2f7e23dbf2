/*
 * npm run bench:server — the Token Server under load, on this machine's loopback only.
 *
 * 1. A bare node:http handler sets the ceiling, driven twice: by fetch, as a website backend
 *    calls, and by autocannon, which costs the client so little that the server's own cost a
 *    request sets the rate. Also measured: what the cycle's signature checks alone cost.
 * 2. The full login cycle (initialize → redeem → answer → result), signed as a phone signs,
 *    against the Token Server on SQLite and on Redis, by both drivers: requests/s, p50/p99, ratio
 *    to the ceiling of the same driver, CPU a request of the server and of the client.
 * 3. 1,000 and 10,000 held long-poll waits, one connection each and batched: the server's RSS
 *    growth per held wait, and the p99 of a plain result call while they are held. Each step
 *    runs on a fresh server, once it is idle, so that one step's memory and teardown are not
 *    measured in the next.
 *
 * The server runs in its own process; the load comes from this one. Every loop is bounded in
 * time and count. Targets (issue: Token Server): ratio ≥ 40 % on SQLite; ≤ 30 MB RSS growth for
 * 10,000 waits; result p99 < 20 ms with 1,000 waits held.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  startTokenServerProcess,
  type TokenServerProcess,
} from '../test/support/token-server-process.js';
import { startRedisServer } from '../test/support/redis-server.js';
import {
  CLIENT_SECRET,
  testConfig,
  TokenServerClient,
} from '../test/server/token-server-fixture.js';
import {
  ceilingWithAutocannon,
  fullCycleWithAutocannon,
  type AutocannonLoad,
} from './server/autocannon-load.js';
import { fullCycle, linkPhone } from './server/full-cycle.js';
import { signatureMicrosecondsPerRequest } from './server/signature-floor.js';
import {
  CONCURRENCY,
  drive,
  DURATION_MS,
  percentile,
  rssBytes,
  settle,
  summary,
  timed,
  withCpu,
  type LoadResult,
} from './server/load.js';

/** The ceiling: a bare node:http handler in its own process. It also receives the callbacks. */
async function startBareServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [
    '-e',
    `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type': 'application/json'}); s.end('{"ok":true}'); }); }).listen(${port}, '127.0.0.1')`,
  ]);
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return child;
}

function measureCeiling(port: number): Promise<LoadResult> {
  return drive(async () => {
    const timings: number[] = [];
    await timed(timings, async () => (await fetch(`http://127.0.0.1:${port}/`)).text());
    return timings;
  });
}

/** The bench's clients post their callbacks to the bare handler, which answers every request. */
function benchConfig(callbackUri: string) {
  const clients = testConfig().clients.map((client) => ({
    ...client,
    callbackUris: [callbackUri],
  }));
  return testConfig({
    clients,
    rateLimits: {
      perIp: { points: 10_000_000, durationSeconds: 60 },
      perClient: { points: 10_000_000, durationSeconds: 60 },
    },
    maxWaitSeconds: 60,
    // The benchmark's Redis is thrown away after it, and runs without an append-only file as
    // before, so that the figures compare.
    redis: { acceptDataLoss: true },
  });
}

/** The floor: RSS growth of a bare node:http server that holds `count` requests unanswered. */
async function bareHeldFloor(count: number): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [
    '-e',
    `require('node:http').createServer(() => {}).listen(${port}, '127.0.0.1')`,
  ]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssBytes(child.pid ?? 0);
  const controllers = Array.from({ length: count }, () => new AbortController());
  const held = controllers.map((controller) =>
    fetch(`http://127.0.0.1:${port}/hold`, { signal: controller.signal }).catch(() => undefined),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000 + count / 2));
  const after = rssBytes(child.pid ?? 0);
  for (const controller of controllers) controller.abort();
  await Promise.all(held);
  child.kill();
  return `${String(count).padStart(6)} held requests, bare node:http: RSS +${((after - before) / 1e6).toFixed(1)} MB (${((after - before) / count / 1024).toFixed(2)} KiB a request)`;
}

function rateOf(load: AutocannonLoad): number {
  return load.requests / load.seconds;
}

/** autocannon's latency histogram counts whole milliseconds. */
function autocannonSummary(name: string, load: AutocannonLoad, ceiling?: number): string {
  const ratio =
    ceiling === undefined ? '' : `  ratio ${((100 * rateOf(load)) / ceiling).toFixed(1)} %`;
  return `${name.padEnd(34)} ${rateOf(load).toFixed(0).padStart(7)} req/s  p50 ${load.p50} ms  p99 ${load.p99} ms${ratio}`;
}

/** RSS growth in all and per wait, as the report prints it. */
function rssGrowth(before: number, after: number, count: number): string {
  return `RSS +${((after - before) / 1e6).toFixed(1)} MB (${((after - before) / count / 1024).toFixed(2)} KiB a wait)`;
}

/** p50 and p99 of 1,000 plain result calls (4 at a time) while the waits are held. */
async function resultLatencyWhileHeld(client: TokenServerClient, ids: string[]): Promise<string> {
  const timings: number[] = [];
  for (let round = 0; round < 250; round += 1) {
    await Promise.all(
      Array.from({ length: 4 }, () =>
        timed(timings, () => client.result(ids[(round * 4) % ids.length] ?? '')),
      ),
    );
  }
  const sorted = timings.sort((a, b) => a - b);
  return `result call with them held: p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`;
}

/** Starts `count` logins, 200 at a time, and returns their transaction ids. */
async function startLogins(client: TokenServerClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, count - ids.length) }, () =>
        client.initialize({ callback_uri: callbackUri }),
      ),
    );
    ids.push(...batch.map((login) => login.transaction_id));
  }
  return ids;
}

async function heldWaits(server: TokenServerProcess, count: number): Promise<string> {
  const client = new TokenServerClient(server.url, (request) => fetch(request));
  const ids = await startLogins(client, count);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pid = server.child.pid ?? 0;
  const before = rssBytes(pid);
  const controllers = ids.map(() => new AbortController());
  const auth = `Basic ${Buffer.from(`demo:${CLIENT_SECRET}`).toString('base64')}`;
  const waits = ids.map((id, index) =>
    fetch(`${server.url}/oauth/api/v4/authenticate/transaction/${id}?wait=60&status=pending`, {
      headers: { Authorization: auth },
      signal: controllers[index]?.signal ?? null,
    }).catch(() => undefined),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000 + count / 2));
  const after = rssBytes(pid);
  let line = `${String(count).padStart(6)} held waits: ${rssGrowth(before, after, count)}`;
  if (count === 1000) {
    line += `; ${await resultLatencyWhileHeld(client, ids)}`;
  }
  for (const controller of controllers) controller.abort();
  await Promise.all(waits);
  return line;
}

/** Logins a batched wait, as the website kit sends them (ResultWaitBatcher). */
const BATCH_SIZE = 50;

/**
 * The same number of waits, held the way the website kit holds them for many logins on screen:
 * batched, 50 transactions to a request (POST /authenticate/transactions/wait).
 */
async function heldBatchedWaits(server: TokenServerProcess, count: number): Promise<string> {
  const client = new TokenServerClient(server.url, (request) => fetch(request));
  const ids = await startLogins(client, count);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pid = server.child.pid ?? 0;
  const before = rssBytes(pid);
  const auth = `Basic ${Buffer.from(`demo:${CLIENT_SECRET}`).toString('base64')}`;
  const controllers: AbortController[] = [];
  const waits: Promise<unknown>[] = [];
  for (let start = 0; start < ids.length; start += BATCH_SIZE) {
    const controller = new AbortController();
    controllers.push(controller);
    const transactions = Object.fromEntries(
      ids.slice(start, start + BATCH_SIZE).map((id) => [id, 'pending']),
    );
    waits.push(
      fetch(`${server.url}/oauth/api/v4/authenticate/transactions/wait`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ wait: 60, transactions }),
        signal: controller.signal,
      }).catch(() => undefined),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 2000 + count / 5));
  const after = rssBytes(pid);
  const latency = await resultLatencyWhileHeld(client, ids);
  for (const controller of controllers) controller.abort();
  await Promise.all(waits);
  return `${String(count).padStart(6)} batched waits (${controllers.length} requests): ${rssGrowth(before, after, count)}; ${latency}`;
}

// BENCH_STORES=sqlite and BENCH_WAITS=1000 narrow a run while working on one figure.
const waitCounts = (process.env.BENCH_WAITS ?? '1000,10000').split(',').filter(Boolean).map(Number);
const barePort = await freePort();
const callbackUri = `http://127.0.0.1:${barePort}/callback`;
const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-bench-'));
const configPath = join(directory, 'config.json');
writeFileSync(configPath, JSON.stringify(benchConfig(callbackUri)));
const redis = await startRedisServer();
const bare = await startBareServer(barePort);
try {
  console.log(
    `Token Server load on loopback, ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s a run\n`,
  );
  const [ceiling, ceilingCpu] = await withCpu(bare.pid ?? 0, () => measureCeiling(barePort));
  const ceilingRate = ceiling.requests / ceiling.seconds;
  console.log(summary('bare node:http handler (ceiling)', ceiling));
  console.log(`  ${ceilingCpu}`);
  const [leanCeiling, leanCeilingCpu, bareMicroseconds] = await withCpu(bare.pid ?? 0, () =>
    ceilingWithAutocannon(`http://127.0.0.1:${barePort}/`),
  );
  console.log(autocannonSummary('bare handler, autocannon (ceiling)', leanCeiling));
  console.log(`  ${leanCeilingCpu}`);
  const signatures = signatureMicrosecondsPerRequest();
  console.log(
    `  signature checks of the cycle alone: ${signatures.toFixed(0)} µs a request; a server that spent nothing else beyond the bare handler would reach ${((100 * bareMicroseconds) / (bareMicroseconds + signatures)).toFixed(0)} % of this ceiling`,
  );
  for (const count of waitCounts) console.log(`  floor: ${await bareHeldFloor(count)}`);

  const stores = (process.env.BENCH_STORES ?? 'sqlite,redis').split(',');
  for (const store of stores) {
    const env: Record<string, string> = {
      TOKEN_SERVER_CONFIG: configPath,
      LOG_LEVEL: 'warn',
      ...(store === 'sqlite'
        ? {
            TOKEN_SERVER_DATABASE: join(directory, `bench-${Date.now()}.db`),
            TOKEN_SERVER_CREATE_DATABASE: '1',
          }
        : { REDIS_URL: redis.url }),
    };
    const server = await startTokenServerProcess(env);
    try {
      const [cycle, cycleCpu] = await withCpu(server.child.pid ?? 0, () =>
        fullCycle(server, callbackUri),
      );
      console.log(summary(`full cycle, ${store}`, cycle, ceilingRate));
      console.log(`  ${cycleCpu}`);
      const phones = await Promise.all(
        Array.from({ length: CONCURRENCY }, () =>
          linkPhone(new TokenServerClient(server.url, (request) => fetch(request))),
        ),
      );
      const [leanCycle, leanCycleCpu] = await withCpu(server.child.pid ?? 0, () =>
        fullCycleWithAutocannon(server, callbackUri, phones),
      );
      console.log(
        autocannonSummary(`full cycle, ${store}, autocannon`, leanCycle, rateOf(leanCeiling)),
      );
      console.log(`  ${leanCycleCpu}`);
    } finally {
      await server.stop();
    }
    // Each wait step on a server of its own: in one that ran the steps before, V8 reuses or hands
    // back their memory, and RSS growth would say more about them than about the waits.
    const steps = [
      ...waitCounts.map((count) => ({ count, hold: heldBatchedWaits })),
      ...waitCounts.map((count) => ({ count, hold: heldWaits })),
    ];
    for (const { count, hold } of steps) {
      const fresh = await startTokenServerProcess(env);
      try {
        await settle(fresh.child.pid ?? 0);
        console.log(`  ${store}: ${await hold(fresh, count)}`);
      } finally {
        await fresh.stop();
      }
    }
  }
} finally {
  bare.kill();
  await redis.stop();
  rmSync(directory, { recursive: true, force: true });
}
