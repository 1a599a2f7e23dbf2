/*
 * A throwaway PostgreSQL for tests: Debian's binaries (the `postgresql` package), a cluster made
 * by initdb in a temporary directory, on a free loopback port, with trust authentication for
 * local connections. PostgreSQL refuses to run as root: as root, its programs run as the
 * `postgres` user, which owns the directory. `stop()` removes everything.
 */
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops PostgreSQL (`pg_ctl stop`, fast by default) and keeps its data, to start it again. */
  shutDown(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data, once it was shut down; resolves once it serves. */
  start(): Promise<void>;
  /** Stops PostgreSQL (if it runs) and removes its directory. */
  stop(): Promise<void>;
}

/** Seconds that pg_ctl waits for the server to start or stop (a loaded machine of two cores). */
const PG_CTL_WAIT_SECONDS = 60;
/**
 * For speed: no fsync. A crash of PostgreSQL (kill -9) still loses nothing it acknowledged, since
 * what it wrote is in the kernel's cache; only a crash of the machine would.
 */
const SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  fsync: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/**
 * Debian installs PostgreSQL's server programs in /usr/lib/postgresql/<version>/bin, off the
 * PATH; the newest version there, or $POSTGRES_BIN_DIR.
 */
export function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL's initdb is not under ${root}/<version>/bin: install Debian's package postgresql (npm run provision does, as root), or set POSTGRES_BIN_DIR.`,
    );
  }
  return join(root, newest, 'bin');
}

/** As root, the uid and gid of the user `postgres`; otherwise, nothing (run as this user). */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  const uid = Number(entry?.[2]);
  const gid = Number(entry?.[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      'PostgreSQL does not run as root, and there is no user `postgres` to run it as (Debian’s package postgresql makes one).',
    );
  }
  return { uid, gid };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = runAs();
  const port = await freeLoopbackPort();
  const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-postgres-'));
  if (user !== undefined) chownSync(directory, user.uid, user.gid);
  const data = join(directory, 'data');
  const log = join(directory, 'postgres.log');

  const options = {
    cwd: directory,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C', PGTZ: 'UTC' },
    ...user,
  };
  const run = (program: string, args: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      execFile(join(bin, program), args, options, (error, stdout, stderr) => {
        if (error === null) {
          resolve();
          return;
        }
        let tail = '';
        try {
          tail = readFileSync(log, 'utf8').slice(-4_000);
        } catch {
          // No log yet.
        }
        reject(
          new Error(
            `${program} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}${tail === '' ? '' : `\n${log}:\n${tail}`}`,
            { cause: error },
          ),
        );
      });
    });

  let running = false;
  /** pg_ctl waits (-w) until the server accepts connections, or fails after -t seconds. */
  const start = async (): Promise<void> => {
    // Set first: a server that pg_ctl gave up on may be running all the same, and is stopped.
    running = true;
    await run('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', String(PG_CTL_WAIT_SECONDS)]);
  };
  const shutDown = async (mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> => {
    running = false;
    await run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', String(PG_CTL_WAIT_SECONDS)]);
  };
  // If the tests end without stop() (a crash, a forgotten after()), PostgreSQL goes with them.
  const onExit = (): void => {
    if (running)
      spawnSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate'], {
        ...options,
        stdio: 'ignore',
      });
    rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    try {
      if (running) await shutDown('fast');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };

  try {
    await run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    const settings = {
      ...SETTINGS,
      port: String(port),
      // Its socket in the temporary directory, not in /var/run/postgresql.
      unix_socket_directories: `'${directory}'`,
    };
    appendSettings(join(data, 'postgresql.conf'), settings);
    await start();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, shutDown, start, stop };
}

/** Appends `settings` to postgresql.conf; the last line for a setting wins. */
function appendSettings(file: string, settings: Record<string, string>): void {
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${value}`);
  // Appending keeps the file's owner (the postgres user, as root) and its mode.
  appendFileSync(file, `\n# otp-login-qr tests\n${lines.join('\n')}\n`);
}

/** A port that was free a moment ago (the kernel picks it for a listener on port 0). */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No free port found.');
  return address.port;
}
