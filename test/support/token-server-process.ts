/*
 * The Token Server as its own process (`src/server/token-server/main.ts` through tsx), on a free
 * loopback port, for tests that restart or kill it; and what tests that start servers as child
 * processes share: a free port, a wait for what a child prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface TokenServerProcess {
  url: string;
  child: ChildProcess;
  /**
   * The waits the server holds, as it last reported them (with `reportHeldWaits` only; else,
   * and before its first wait, 0).
   */
  heldWaits(): number;
  /** Stops it with a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface TokenServerProcessOptions {
  /**
   * Has the server report the waits it holds (the StatusWaiter's observation channel) to this
   * process, for `heldWaits()`. Off by default: benchmarks use this helper too.
   */
  reportHeldWaits?: boolean;
}

/**
 * Loaded into the server with `--import`: sends each held-wait count the StatusWaiter publishes
 * (on `heldWaitsChannel`, by this name) to the parent over the IPC channel, unreferenced so that
 * it never keeps the server running.
 */
const REPORT_HELD_WAITS = `data:text/javascript,${encodeURIComponent(
  [
    "import { subscribe } from 'node:diagnostics_channel';",
    'process.channel?.unref();',
    "subscribe('otp-login-qr:token-server:held-waits', ({ size }) => process.send?.({ heldWaits: size }));",
  ].join('\n'),
)}`;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Waits until `child` has printed `text`: `output()` is what it printed so far (the caller
 * collects it from the child's piped stdout and stderr), looked at again on each chunk. Fails
 * with that output when the child exits first, or after `ms`.
 */
export function untilPrinted(
  child: ChildProcess,
  output: () => string,
  text: string,
  ms = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      if (output().includes(text)) finish();
    };
    const exited = (): void => {
      finish(
        new Error(`The process exited before it printed ${JSON.stringify(text)}:\n${output()}`),
      );
    };
    const timer = setTimeout(() => {
      finish(
        new Error(
          `The process did not print ${JSON.stringify(text)} within ${ms} ms:\n${output()}`,
        ),
      );
    }, ms);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', look);
      child.stderr?.off('data', look);
      child.off('exit', exited);
      if (error === undefined) resolve();
      else reject(error);
    };
    // Listeners added after the caller's own: by then, `output()` holds the chunk.
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', exited);
    if (child.exitCode !== null || child.signalCode !== null) exited();
    else look();
  });
}

export async function startTokenServerProcess(
  env: Record<string, string>,
  port?: number,
  options: TokenServerProcessOptions = {},
): Promise<TokenServerProcess> {
  const chosenPort = port ?? (await freePort());
  // TOKEN_SERVER_NODE_ARGS adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile
  // the server under `npm run bench:server` (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = (process.env.TOKEN_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const report = options.reportHeldWaits === true;
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      'tsx',
      ...(report ? ['--import', REPORT_HELD_WAITS] : []),
      'src/server/token-server/main.ts',
    ],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...env,
        TOKEN_SERVER_HOST: '127.0.0.1',
        TOKEN_SERVER_PORT: String(chosenPort),
      },
      stdio: ['ignore', 'inherit', 'inherit', ...(report ? (['ipc'] as const) : [])],
    },
  );
  let heldWaits = 0;
  if (report) {
    child.on('message', (message: { heldWaits?: number }) => {
      if (typeof message.heldWaits === 'number') heldWaits = message.heldWaits;
    });
    child.channel?.unref();
  }
  const url = `http://127.0.0.1:${chosenPort}`;
  // A readiness poll with a deadline: the server says that it listens only at LOG_LEVEL info,
  // and the tests run it quieter (its request lines would drown their output), so there is no
  // line to wait for. /healthz answering is the event itself, looked at every 100 ms.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Token Server exited with ${child.exitCode}.`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('The Token Server did not start within 20 s.');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    heldWaits: () => heldWaits,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
