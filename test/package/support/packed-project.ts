/*
 * The package as a stranger gets it: packed from a clean copy of the repository (the tracked
 * files only, no dist/: `prepack` must build everything), then installed into an empty folder
 * from the tarball and the npm registry, as `npm install otp-login-qr` does.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The environment for commands run in the stranger's project: no trace of our npm run. */
export function strangerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return {
    ...env,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/**
 * Copies the repository's files (tracked, or new and not ignored) to a temporary folder, links
 * its node_modules for the build tools, and runs `npm pack` there. Returns the tarball's path.
 */
export async function packFromCleanCopy(): Promise<string> {
  const root = resolve('.');
  const dir = await mkdtemp(join(tmpdir(), 'otp-pack-'));
  const copy = join(dir, 'repo');
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { encoding: 'utf8' },
  )
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = join(dir, 'out');
  mkdirSync(out);
  execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
    cwd: copy,
    env: strangerEnv(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball.');
  return join(out, tarball);
}

/** Runs a shell command in the project and returns what it printed; throws if it fails. */
export function run(command: string, cwd: string, env = strangerEnv()): string {
  return execFileSync('bash', ['-c', command], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A long-running command of the quickstart (a server), with what it printed kept. */
export interface Background {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function runInBackground(command: string, cwd: string, env: NodeJS.ProcessEnv): Background {
  // A process group of its own: npx runs the command in a child that it does not pass signals
  // to, so stopping signals the whole group, or the server would outlive the test.
  const child = spawn('bash', ['-c', command], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = once(child, 'close');
  return {
    child,
    output: () => output,
    async stop() {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group has ended already
      }
      // 'close': every process of the group has let go of the output pipes.
      await closed;
    },
  };
}

/**
 * Waits until the server prints `ready` (the line it writes once it listens), then checks that
 * `url` answers 200. Throws with what the server printed if it stops first or never says so.
 */
export async function answering(
  url: string,
  ready: RegExp,
  server: Background,
  timeoutMs = 60_000,
): Promise<void> {
  const { child } = server;
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      cleanUp();
      reject(new Error(`${why}:\n${server.output()}`));
    };
    const onOutput = () => {
      if (!ready.test(server.output())) return;
      cleanUp();
      resolve();
    };
    const onExit = (code: number | null) => {
      fail(`The server stopped (exit ${code})`);
    };
    const deadline = setTimeout(() => {
      fail(`The server did not say it listens`);
    }, timeoutMs);
    const cleanUp = () => {
      clearTimeout(deadline);
      child.stdout?.off('data', onOutput);
      child.stderr?.off('data', onOutput);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', onExit);
    onOutput();
  });
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}:\n${server.output()}`);
}
