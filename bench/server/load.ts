/*
 * The load loop of bench:server and the numbers it prints. Every loop is bounded in time.
 */
import { readFileSync } from 'node:fs';

export const DURATION_MS = Number(process.env.BENCH_SECONDS ?? '8') * 1000;
export const CONCURRENCY = 16;

export interface LoadResult {
  requests: number;
  seconds: number;
  latencies: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function summary(name: string, result: LoadResult, ceiling?: number): string {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const rate = result.requests / result.seconds;
  const ratio = ceiling === undefined ? '' : `  ratio ${((100 * rate) / ceiling).toFixed(1)} %`;
  return `${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} req/s  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms${ratio}`;
}

/** Runs `worker` in CONCURRENCY loops for DURATION_MS; each call returns its request timings. */
export async function drive(worker: (index: number) => Promise<number[]>): Promise<LoadResult> {
  const latencies: number[] = [];
  let requests = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, index) => {
      while (performance.now() < deadline) {
        const timings = await worker(index);
        requests += timings.length;
        latencies.push(...timings);
      }
    }),
  );
  return { requests, seconds: (performance.now() - started) / 1000, latencies };
}

export async function timed<T>(timings: number[], call: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await call();
  timings.push(performance.now() - start);
  return value;
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks are 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Runs a load and says how much CPU the server process and this load client spent a request:
 * on two shared cores, that tells whose cost sets the throughput. The third element is the
 * server's CPU a request in microseconds.
 */
export async function withCpu<Load extends { requests: number; seconds: number }>(
  serverPid: number,
  load: () => Promise<Load>,
): Promise<[Load, string, number]> {
  const serverBefore = cpuSeconds(serverPid);
  const clientBefore = process.cpuUsage();
  const result = await load();
  const server = cpuSeconds(serverPid) - serverBefore;
  const clientUsage = process.cpuUsage(clientBefore);
  const client = (clientUsage.user + clientUsage.system) / 1e6;
  const perRequest = (seconds: number) => (1e6 * seconds) / result.requests;
  return [
    result,
    `CPU a request: server ${perRequest(server).toFixed(0)} µs, load client ${perRequest(client).toFixed(0)} µs (server busy ${((100 * server) / result.seconds).toFixed(0)} % of a core)`,
    perRequest(server),
  ];
}

/**
 * Waits (at most 15 s) until the process has used under 5 % of a core for half a second: the
 * teardown of one step's thousands of connections must not land in the next step's figures.
 */
export async function settle(pid: number): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (cpuSeconds(pid) - before < 0.025) return;
  }
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}
