/*
 * What the command says when something is wrong on the operator's machine: one line that names
 * the problem, and an exit code, never a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

/** Runs `otp-login-qr …` from source and returns its exit code and what it printed on stderr. */
async function command(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('otp-login-qr, when the machine is not as it expects', () => {
  let dir: string;
  let config: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'otp-command-'));
    config = join(dir, 'token-server.json');
    await writeFile(config, JSON.stringify({ clients: [], types: [], appOrigins: [] }));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says so in one line when the port is taken', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const { code, stderr } = await command(['token-server', '--config', config], {
        TOKEN_SERVER_PORT: String(port),
        TOKEN_SERVER_DATABASE: join(dir, 'token-server.db'),
        TOKEN_SERVER_CREATE_DATABASE: '1',
        LOG_LEVEL: 'silent',
      });
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    } finally {
      taken.close();
    }
  });

  it('will not start over empty where its database went missing, and says what to do', async () => {
    const missing = join(dir, 'gone', 'token-server.db');
    const { code, stderr } = await command(['token-server', '--config', config], {
      TOKEN_SERVER_PORT: '0',
      TOKEN_SERVER_DATABASE: missing,
      LOG_LEVEL: 'silent',
    });
    assert.equal(code, 1);
    assert.match(stderr, /The database file .*gone\/token-server\.db does not exist/);
    assert.match(stderr, /TOKEN_SERVER_CREATE_DATABASE=1.*otp-login-qr init/s);
    assert.match(stderr, /restore it from a backup/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    await assert.rejects(stat(missing), { code: 'ENOENT' }, 'no empty database was made');
  });

  it('names a configuration file that is not there', async () => {
    const { code, stderr } = await command(['token-server', '--config', join(dir, 'nope.json')]);
    assert.equal(code, 1);
    assert.match(stderr, /Cannot read the configuration file .*nope\.json/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it('refuses a backup of a database that does not exist, rather than making an empty one', async () => {
    const { code, stderr } = await command([
      'backup',
      join(dir, 'copy.db'),
      '--database',
      join(dir, 'missing.db'),
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /There is no database at .*missing\.db/);
  });

  it('tells how to start a Token Server on the port that init was given', async () => {
    const empty = await mkdtemp(join(dir, 'site-'));
    const child = spawn(
      process.execPath,
      [
        // In another folder: tsx by its resolved URL, as `--import tsx` looks in the cwd.
        '--import',
        import.meta.resolve('tsx'),
        join(process.cwd(), 'src/server/cli/main.ts'),
        'init',
        '--website',
        'http://localhost:3000',
        '--token-server',
        'http://localhost:8000',
      ],
      { cwd: empty, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, /Next: TOKEN_SERVER_PORT=8000 npx otp-login-qr token-server/);
  });
});
