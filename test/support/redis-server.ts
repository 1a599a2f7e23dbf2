/*
 * A throwaway redis-server for tests: the real binary, on a free loopback port, without
 * persistence, in a temporary directory that is removed when it stops; or with an append-only
 * file in a directory of the caller's, to be killed and started again on it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (SIGTERM), waits for it to exit and removes its own directory. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL: no chance to write anything more), as a crash would. */
  kill(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';
const START_TIMEOUT_MS = 10_000;

export interface RedisServerOptions {
  /** Where to listen, e.g. the port of a server stopped before (Redis coming back); else a free one. */
  port?: number;
  /**
   * Keep data in an append-only file synced every second, as docs/deploy.md asks of production,
   * in `directory` (the caller's, kept when the server stops, so that a new server reads it).
   */
  appendOnlyIn?: string;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freeLoopbackPort());
  const ownDirectory = options.appendOnlyIn === undefined;
  const directory = options.appendOnlyIn ?? mkdtempSync(join(tmpdir(), 'otp-login-qr-redis-'));
  const persistence = ownDirectory
    ? ['--appendonly', 'no']
    : ['--appendonly', 'yes', '--appendfsync', 'everysec'];
  const child = spawn(
    BINARY,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      ...persistence,
      '--dir',
      directory,
      '--protected-mode',
      'yes',
    ],
    { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  /** Looks at the child again: on each chunk it prints, on its 'error', on its exit. */
  let look = (): void => undefined;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
    look();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
    look();
  });
  // Not events.once: it would reject on the 'error' of a binary that cannot be run.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
      look();
    });
  });

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
    if (ownDirectory) rmSync(directory, { recursive: true, force: true });
  };
  const stop = (): Promise<void> => end('SIGTERM');
  const kill = (): Promise<void> => end('SIGKILL');

  // Started once it says so: redis-server prints this line when it accepts connections.
  let failure = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => {
      finish(`redis-server did not say it was ready within ${START_TIMEOUT_MS} ms`);
    }, START_TIMEOUT_MS);
    const finish = (why?: string): void => {
      clearTimeout(timer);
      look = () => undefined;
      resolve(why);
    };
    look = () => {
      if (spawnError !== undefined) finish(`Could not run ${BINARY}: ${spawnError.message}`);
      else if (child.exitCode !== null || child.signalCode !== null)
        finish(`redis-server exited (${String(child.exitCode ?? child.signalCode)}) on start`);
      else if (/Ready to accept connections/.test(output)) finish();
    };
    look();
  });
  if (spawnError !== undefined) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(failure);
  }
  if (failure === undefined && !(await answersPing(port)))
    failure = 'redis-server said it was ready but did not answer PING';
  if (failure !== undefined) {
    await stop();
    throw new Error(`${failure}:\n${output}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop, kill };
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

/** Sends an inline PING; true if the answer is +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => {
      finish(false);
    });
    socket.on('error', () => {
      finish(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
