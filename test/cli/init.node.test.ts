/*
 * `npx otp-login-qr init`: a website owner's first command. It writes a configuration that the
 * Token Server accepts and the website's side of a fresh secret, and a mistake changes nothing.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { describeInit, runInit } from '../../src/server/cli/init-command.js';
import { loadTokenServerEnvironment } from '../../src/server/token-server/load-config.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'otp-init-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SITE = [
  '--website',
  'https://www.example.com',
  '--token-server',
  'https://tokens.example.com',
];

function variables(env: string): Record<string, string> {
  return Object.fromEntries(
    env
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('otp-login-qr init', () => {
  it('writes a configuration the Token Server starts with, holding only the hash of the secret', async () => {
    const result = runInit([...SITE, '--name', 'Example Shop'], dir);

    const configText = await readFile(join(dir, 'token-server.json'), 'utf8');
    assert.ok(!configText.includes(result.clientSecret), 'the secret itself is not in the config');
    const environment = loadTokenServerEnvironment({
      TOKEN_SERVER_CONFIG: join(dir, 'token-server.json'),
    });
    const [client] = environment.config.clients;
    assert.ok(client);
    assert.equal(
      client.secretSha256,
      createHash('sha256').update(result.clientSecret).digest('hex'),
    );
    assert.equal(client.name, 'Example Shop');
    assert.deepEqual(client.callbackUris, ['https://www.example.com/otp-login/callback']);
    assert.deepEqual(environment.config.appOrigins, ['https://tokens.example.com']);
    assert.equal(environment.publicUrl, 'https://tokens.example.com');
    assert.equal(environment.serveApp, true);
    // 256 bits of randomness, base64url.
    assert.match(result.clientSecret, /^[A-Za-z0-9_-]{43}$/);
  });

  it("writes the website's variables, readable by the owner only, next to what .env held", async () => {
    await writeFile(join(dir, '.env'), 'DATABASE_URL=postgres://db/site\n');
    const result = runInit(SITE, dir);

    const env = await readFile(join(dir, '.env'), 'utf8');
    assert.deepEqual(variables(env), {
      DATABASE_URL: 'postgres://db/site',
      OTP_LOGIN_TOKEN_SERVER_URL: 'https://tokens.example.com',
      OTP_LOGIN_CLIENT_ID: 'website',
      OTP_LOGIN_CLIENT_SECRET: result.clientSecret,
      OTP_LOGIN_PUBLIC_ORIGIN: 'https://www.example.com',
      OTP_LOGIN_CALLBACK_URI: 'https://www.example.com/otp-login/callback',
      OTP_LOGIN_APP_URL: 'https://tokens.example.com/app/',
    });
    assert.equal((await stat(join(dir, '.env'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'token-server.json'))).mode & 0o777, 0o600);
  });

  it('never prints the secret: .env holds it, not the terminal or a CI log', () => {
    const result = runInit(SITE, dir);
    const printed = describeInit(result, 'Created data/token-server.db');

    assert.ok(!printed.includes(result.clientSecret), printed);
    assert.match(printed, /\.env \(the website's variables: the client secret is there/);
  });

  it('makes a new secret each time, and replaces an earlier set-up only with --force', async () => {
    const first = runInit(SITE, dir);
    const before = await Promise.all([
      readFile(join(dir, 'token-server.json'), 'utf8'),
      readFile(join(dir, '.env'), 'utf8'),
    ]);
    assert.throws(() => runInit(SITE, dir), {
      name: 'TypeError',
      message: /token-server\.json exists already; add --force/,
    });
    assert.deepEqual(
      await Promise.all([
        readFile(join(dir, 'token-server.json'), 'utf8'),
        readFile(join(dir, '.env'), 'utf8'),
      ]),
      before,
    );

    const second = runInit([...SITE, '--force'], dir);
    assert.notEqual(second.clientSecret, first.clientSecret);
    const env = variables(await readFile(join(dir, '.env'), 'utf8'));
    assert.equal(env.OTP_LOGIN_CLIENT_SECRET, second.clientSecret);
  });

  it('refuses an .env that holds OTP_LOGIN_ variables already, without --force', async () => {
    await writeFile(join(dir, '.env'), 'OTP_LOGIN_CLIENT_SECRET=keep-me\n');
    assert.throws(() => runInit(SITE, dir), /holds OTP_LOGIN_ variables already/);
    assert.equal(await readFile(join(dir, '.env'), 'utf8'), 'OTP_LOGIN_CLIENT_SECRET=keep-me\n');
  });

  for (const [what, args, message] of [
    ['no website', ['--token-server', 'https://tokens.example.com'], /Give --website/],
    [
      'plain http off this machine',
      ['--website', 'http://www.example.com', '--token-server', 'https://tokens.example.com'],
      /--website must use https/,
    ],
    [
      'a website with a path',
      ['--website', 'https://www.example.com/shop', '--token-server', 'https://t.example.com'],
      /--website must be an origin/,
    ],
    [
      'a callback with credentials',
      [...SITE, '--callback', 'https://user:pw@www.example.com/cb'],
      /must not hold a user name/,
    ],
    ['not a URL', ['--website', 'www.example.com', '--token-server', 'x'], /must be a URL/],
    ['an unknown option', [...SITE, '--secret', 'mine'], /Unknown option '--secret'/],
    ['a site name the phone cannot show', [...SITE, '--name', ''], /name/],
  ] as const) {
    it(`refuses ${what} and writes nothing`, async () => {
      assert.throws(
        () => runInit(args, dir),
        (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, message);
          return true;
        },
      );
      await assert.rejects(stat(join(dir, 'token-server.json')), { code: 'ENOENT' });
      await assert.rejects(stat(join(dir, '.env')), { code: 'ENOENT' });
    });
  }

  it('takes plain http on localhost, for trying it out', () => {
    runInit(['--website', 'http://localhost:3000', '--token-server', 'http://127.0.0.1:7001'], dir);
    const environment = loadTokenServerEnvironment({
      TOKEN_SERVER_CONFIG: join(dir, 'token-server.json'),
    });
    assert.equal(environment.publicUrl, 'http://127.0.0.1:7001');
    assert.deepEqual(environment.config.clients[0]?.callbackUris, [
      'http://localhost:3000/otp-login/callback',
    ]);
  });
});
