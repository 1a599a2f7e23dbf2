/*
 * npm run bench:faults — what callers see when the store goes away and comes back (issue 19):
 *
 * Two Token Server processes share a Redis that keeps an append-only file. A website's long-poll
 * is held on instance A for a login; Redis is killed (kill -9) and, after BENCH_OUTAGE_MS (10 s),
 * started again on its directory. Meanwhile a prober reads a login's result from A every 50 ms.
 * The phone answers the held login through instance B as soon as B serves again.
 *
 * Printed: how long after the kill A's first 503 came, the slowest answer during the outage,
 * how long after Redis was back A answered 200 again, and how long the held poll on A took to
 * hear the answer given on B (it must not wait for its own time-out). Targets: 503 within 3 s,
 * 200 again within 1 s, the held poll woken within 1 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server.js';
import { startTokenServerProcess } from '../test/support/token-server-process.js';
import { testConfig, TokenServerClient } from '../test/server/token-server-fixture.js';

const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? '10000');
const PROBE_EVERY_MS = 50;

const directory = mkdtempSync(join(tmpdir(), 'otp-bench-faults-'));
const configPath = join(directory, 'config.json');
const unlimited = { points: 1_000_000, durationSeconds: 60 };
writeFileSync(
  configPath,
  JSON.stringify(
    testConfig({ rateLimits: { perIp: unlimited, perClient: unlimited }, maxWaitSeconds: 60 }),
  ),
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisDirectory = mkdtempSync(join(directory, 'redis-'));
let redis = await startRedisServer({ appendOnlyIn: redisDirectory });
const env = { TOKEN_SERVER_CONFIG: configPath, REDIS_URL: redis.url, LOG_LEVEL: 'fatal' };
const [a, b] = await Promise.all([startTokenServerProcess(env), startTokenServerProcess(env)]);
try {
  const onA = new TokenServerClient(a.url, (request) => fetch(request));
  const onB = new TokenServerClient(b.url, (request) => fetch(request));
  const phone = await onB.enrollDevice('bench-user');
  const probeLogin = await onA.initialize();
  const heldLogin = await onA.initialize();
  onB.now = Date.now();
  const redeemed = await onB.mobile(phone, `/transactions/${heldLogin.transaction_id}/redeem`, {
    otp: heldLogin.code,
  });
  if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status}`);

  // The prober: every answer's status and how long it took.
  const probes: { at: number; status: number; ms: number }[] = [];
  const probing = { running: true };
  const prober = (async () => {
    while (probing.running) {
      const started = Date.now();
      let status = 0;
      try {
        status = (await onA.result(probeLogin.transaction_id)).status;
      } catch {
        status = -1; // connection refused or cut: the server is down, not the store
      }
      probes.push({ at: started, status, ms: Date.now() - started });
      await sleep(PROBE_EVERY_MS);
    }
  })();

  // The website's long-poll on A, held until the status moves on from 'scanned'.
  let heardAt: number | undefined;
  const held = onA.result(heldLogin.transaction_id, '?wait=60&status=scanned').then((answer) => {
    heardAt = Date.now();
    return answer;
  });

  await sleep(1_000);
  const killedAt = Date.now();
  await redis.kill();
  await sleep(OUTAGE_MS);
  redis = await startRedisServer({ port: redis.port, appendOnlyIn: redisDirectory });
  const backAt = Date.now();

  // The phone answers through B as soon as B can store it.
  let answeredAt = 0;
  for (;;) {
    onB.now = Date.now();
    const answered = await onB.mobile(phone, `/transactions/${heldLogin.transaction_id}/answer`, {
      answer: 'accept',
    });
    if (answered.status === 200) {
      answeredAt = Date.now();
      break;
    }
    await sleep(PROBE_EVERY_MS);
  }
  const heldAnswer = await held;
  await sleep(500);
  probing.running = false;
  await prober;

  const during = probes.filter((probe) => probe.at >= killedAt && probe.at < backAt);
  const first503 = during.find((probe) => probe.status === 503);
  const okAgain = probes.find((probe) => probe.at >= backAt && probe.status === 200);
  const slowest = Math.max(...during.map((probe) => probe.ms));
  const rows: [string, string][] = [
    [
      'Redis killed; A answers 503 after',
      first503 ? `${first503.at + first503.ms - killedAt} ms` : 'never',
    ],
    ['slowest answer while Redis was down', `${slowest} ms`],
    [
      'answers during the outage (200 / 503 / other)',
      `${during.filter((p) => p.status === 200).length} / ${during.filter((p) => p.status === 503).length} / ${during.filter((p) => p.status !== 200 && p.status !== 503).length}`,
    ],
    [
      'Redis back; A answers 200 again after',
      okAgain ? `${okAgain.at + okAgain.ms - backAt} ms` : 'never',
    ],
    ['Redis back; B stores the answer after', `${answeredAt - backAt} ms`],
    [
      'answer on B; the poll held on A hears it after',
      heardAt === undefined
        ? 'never'
        : `${heardAt - answeredAt} ms (${String(heldAnswer.body.status)})`,
    ],
  ];
  console.log(`Redis outage of ${OUTAGE_MS} ms under two Token Servers (append-only file):`);
  for (const [what, value] of rows) console.log(`  ${what.padEnd(48)} ${value}`);
} finally {
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();
  rmSync(directory, { recursive: true, force: true });
}
