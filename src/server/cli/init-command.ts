import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTokenServerConfig, type TokenServerConfigInput } from '../token-server/config.js';
import { webOrigin, webUrl } from './web-origin.js';

export const INIT_USAGE = `otp-login-qr init --website URL --token-server URL [options]

Writes a Token Server configuration for one website, and the website's side of its client
secret. The secret is made here and written to .env only (readable by its owner): never on the
screen, where a terminal's scrollback, a CI log or a shared screen would keep it. The Token
Server keeps only its hash. Creates
the Token Server's SQLite database where it will look (TOKEN_SERVER_DATABASE, else
data/token-server.db), unless REDIS_URL is set; an existing one is kept.

  --website URL        the website's origin, e.g. https://www.example.com (required)
  --token-server URL   where websites and phones reach the Token Server (required)
  --app URL            the scanner app (default: the Token Server's URL + /app/)
  --callback URL       where the Token Server posts answers (default: website + /otp-login/callback)
  --name TEXT          the site's name as the phone shows it (default: the website's host name)
  --client-id ID       the website's client id (default: website)
  --config FILE        the Token Server configuration to write (default: token-server.json)
  --env-file FILE      the website's variables to write (default: .env)
  --force              replace files that exist`;

/** What init writes into the website's env file: the names the README's quickstart reads. */
export const WEBSITE_VARIABLES = [
  'OTP_LOGIN_TOKEN_SERVER_URL',
  'OTP_LOGIN_CLIENT_ID',
  'OTP_LOGIN_CLIENT_SECRET',
  'OTP_LOGIN_PUBLIC_ORIGIN',
  'OTP_LOGIN_CALLBACK_URI',
  'OTP_LOGIN_APP_URL',
] as const;

export interface InitResult {
  configPath: string;
  envPath: string;
  clientSecret: string;
  /** Set when the Token Server's URL is on this machine with another port than 7001. */
  tokenServerPort?: string | undefined;
}

export function runInit(args: readonly string[], cwd: string): InitResult {
  const { values } = parseArgs({
    args: [...args],
    options: {
      website: { type: 'string' },
      'token-server': { type: 'string' },
      app: { type: 'string' },
      callback: { type: 'string' },
      name: { type: 'string' },
      'client-id': { type: 'string', default: 'website' },
      config: { type: 'string', default: 'token-server.json' },
      'env-file': { type: 'string', default: '.env' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const website = webOrigin(values.website, '--website');
  const tokenServer = webOrigin(values['token-server'], '--token-server');
  const appUrl = webUrl(values.app ?? `${tokenServer}/app/`, '--app');
  const callback = webUrl(values.callback ?? `${website}/otp-login/callback`, '--callback');
  const name = values.name ?? new URL(website).hostname;
  const configPath = resolve(cwd, values.config);
  const envPath = resolve(cwd, values['env-file']);

  const envBefore = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
  if (!values.force) {
    if (existsSync(configPath)) {
      throw new TypeError(`${configPath} exists already; add --force to replace it.`);
    }
    if (WEBSITE_VARIABLES.some((variable) => envBefore.includes(`${variable}=`))) {
      throw new TypeError(
        `${envPath} holds OTP_LOGIN_ variables already; add --force to replace them.`,
      );
    }
  }

  // 256 bits from the CSPRNG; the Token Server compares its SHA-256 (see config.ts).
  const clientSecret = randomBytes(32).toString('base64url');
  const input: TokenServerConfigInput = {
    publicUrl: tokenServer,
    clients: [
      {
        id: values['client-id'],
        secretSha256: createHash('sha256').update(clientSecret).digest('hex'),
        name,
        callbackUris: [callback.href],
        types: ['otp', 'otp_second_factor'],
      },
    ],
    types: [
      // Passwordless: the phone is the whole login, so a login relayed from another network
      // needs the code the phone shows typed in the browser (proof of presence).
      {
        name: 'otp',
        messages: { en: `Log in to ${name}` },
        proofOfPresence: 'unless_same_network',
        // A phone with a passkey asks for its user's fingerprint or face; one without taps.
        userVerification: 'preferred',
      },
      {
        name: 'otp_second_factor',
        secondFactor: true,
        messages: { en: `Confirm your login to ${name}` },
      },
    ],
    appOrigins: [appUrl.origin],
  };
  // The same check the Token Server makes at start, so that init never writes what it refuses.
  parseTokenServerConfig(input);

  const variables: Record<(typeof WEBSITE_VARIABLES)[number], string> = {
    OTP_LOGIN_TOKEN_SERVER_URL: tokenServer,
    OTP_LOGIN_CLIENT_ID: values['client-id'],
    OTP_LOGIN_CLIENT_SECRET: clientSecret,
    OTP_LOGIN_PUBLIC_ORIGIN: website,
    OTP_LOGIN_CALLBACK_URI: callback.href,
    OTP_LOGIN_APP_URL: appUrl.href,
  };
  const kept = envBefore
    .split('\n')
    .filter((line) => !WEBSITE_VARIABLES.some((variable) => line.startsWith(`${variable}=`)))
    .join('\n')
    .trimEnd();
  const block = [
    '# otp-login-qr: the website kit reads these (written by `otp-login-qr init`). Keep them secret.',
    ...WEBSITE_VARIABLES.map((variable) => `${variable}=${variables[variable]}`),
  ].join('\n');
  writeFileSync(configPath, `${JSON.stringify(input, null, 2)}\n`, { mode: 0o600 });
  // The mode applies to new files only: an existing .env, perhaps readable by all, is made
  // private before the secret goes into it.
  if (existsSync(envPath)) chmodSync(envPath, 0o600);
  writeFileSync(envPath, `${kept === '' ? '' : `${kept}\n\n`}${block}\n`, { mode: 0o600 });
  return { configPath, envPath, clientSecret, tokenServerPort: portOnThisMachine(tokenServer) };
}

/** The port of a Token Server URL on this machine, when it is not the command's default. */
function portOnThisMachine(origin: string): string | undefined {
  const url = new URL(origin);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return loopback && url.port !== '' && url.port !== '7001' ? url.port : undefined;
}

/** What init prints: where things went. Never the secret, which only .env holds. */
export function describeInit(result: InitResult, database?: string): string {
  return [
    `Wrote ${result.configPath} (the Token Server's configuration; the secret only as a hash)`,
    `Wrote ${result.envPath} (the website's variables: the client secret is there, and only there)`,
    ...(database === undefined ? [] : [database]),
    '',
    result.tokenServerPort === undefined
      ? 'Next: npx otp-login-qr token-server'
      : `Next: TOKEN_SERVER_PORT=${result.tokenServerPort} npx otp-login-qr token-server`,
    'Keep .env out of version control (add it to .gitignore).',
  ].join('\n');
}
