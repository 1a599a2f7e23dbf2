/*
 * npm run bench:ip-location — what the place and network operator cost a Token Server: how long
 * opening the embedded IP databases takes at start, how much memory they hold, and how fast a
 * lookup is (two per redemption: the browser's address and the phone's).
 *
 * Each case opens its databases in a fresh Node process (this script run again with the case's
 * name), so that one case's memory is not counted in the next: RSS, V8 heap and array buffers
 * (where the MMDB files live), after a full garbage collection, less what the process held
 * before it opened anything.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  openIpLocator,
  type IpLocationOptions,
} from '../src/server/token-server/ip-location/index.js';

const CASES: Record<string, { what: string; options: IpLocationOptions }> = {
  city: { what: 'city (DB-IP City Lite, IPv4 + IPv6 MMDB)', options: { asnDatabase: [] } },
  operators: {
    what: 'operators (@ip-location-db/asn CSV, IPv4 + IPv6)',
    options: { cityDatabase: [] },
  },
  both: { what: 'both (the Token Server default)', options: {} },
};
const LOOKUPS = 200_000;

interface Measurement {
  openMs: number;
  openCpuMs: number;
  rssMb: number;
  heapMb: number;
  arrayBuffersMb: number;
  lookupMicroseconds: number;
}

async function measure(options: IpLocationOptions): Promise<Measurement> {
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  collect();
  const before = process.memoryUsage();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const locator = await openIpLocator(options);
  const openMs = performance.now() - started;
  // CPU time too: on a shared machine it varies far less than the wall clock.
  const cpu = process.cpuUsage(cpuBefore);
  const openCpuMs = (cpu.user + cpu.system) / 1000;
  if (locator === null) throw new Error('No databases: install the devDependencies (npm ci).');
  collect();
  const after = process.memoryUsage();
  // Random public-looking addresses, half IPv4, half IPv6 (in 2000::/3, where the routed ones are).
  const addresses = Array.from({ length: 1_000 }, (_, index) =>
    index % 2 === 0
      ? Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 222)).join('.')
      : `2${Math.floor(Math.random() * 0x1000)
          .toString(16)
          .padStart(3, '0')}:${Math.floor(Math.random() * 0x10000).toString(16)}::1`,
  );
  const lookupStarted = performance.now();
  for (let index = 0; index < LOOKUPS; index += 1) locator.locate(addresses[index % 1_000] ?? '');
  const lookupMicroseconds = ((performance.now() - lookupStarted) * 1000) / LOOKUPS;
  const megabytes = (bytes: number): number => bytes / 1024 / 1024;
  return {
    openMs,
    openCpuMs,
    rssMb: megabytes(after.rss - before.rss),
    heapMb: megabytes(after.heapUsed - before.heapUsed),
    arrayBuffersMb: megabytes(after.arrayBuffers - before.arrayBuffers),
    lookupMicroseconds,
  };
}

const caseName = process.argv[2];
if (caseName !== undefined) {
  const chosen = CASES[caseName];
  if (chosen === undefined) throw new Error(`No case "${caseName}".`);
  process.stdout.write(JSON.stringify(await measure(chosen.options)));
} else {
  console.log('case | open | open, CPU | RSS | V8 heap | array buffers | one lookup');
  console.log('--- | --- | --- | --- | --- | --- | ---');
  for (const [name, { what }] of Object.entries(CASES)) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), name],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`Case ${name} failed:\n${child.stderr}`);
    const result = JSON.parse(child.stdout) as Measurement;
    console.log(
      `${what} | ${Math.round(result.openMs)} ms | ${Math.round(result.openCpuMs)} ms | ` +
        `${Math.round(result.rssMb)} MB | ` +
        `${Math.round(result.heapMb)} MB | ${Math.round(result.arrayBuffersMb)} MB | ` +
        `${result.lookupMicroseconds.toFixed(1)} µs`,
    );
  }
}
