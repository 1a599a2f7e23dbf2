/*
 * The built scanner app against a real Token Server, for the Node end-to-end tests and the
 * benchmark: a Token Server process (SQLite in a temporary folder) that allows the app's origin,
 * the app built by Vite into that folder with its config.json, and Vite's preview server for it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import {
  freePort,
  startTokenServerProcess,
  type TokenServerProcess,
} from '../../support/token-server-process.js';

export const CLIENT_ID = 'demo';
export const CLIENT_SECRET = 'app-e2e-secret-that-is-long-enough-0123456789';
export const CALLBACK_URI = 'http://127.0.0.1:9/callback';

export interface AppHarness {
  /** Where the app is served, with a trailing slash. */
  readonly appUrl: string;
  readonly tokenServerUrl: string;
  readonly website: Website;
  /** The temporary folder (y4m files may go here). */
  readonly dir: string;
  /**
   * Builds the app again into the served folder, unminified: a new version with new files, as a
   * deployment would bring (for the update prompt).
   */
  deployNewVersion(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the app, starts a Token Server and serves the app; `close()` undoes all three. */
export async function startAppHarness(): Promise<AppHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'otp-app-'));
  const appPort = await freePort();
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const configPath = join(dir, 'token-server.json');
  const outDir = join(dir, 'app');
  await writeFile(configPath, JSON.stringify(tokenServerConfig(appOrigin)));
  let tokenServer: TokenServerProcess | undefined;
  let server: PreviewServer | undefined;
  try {
    tokenServer = await startTokenServerProcess({
      TOKEN_SERVER_CONFIG: configPath,
      TOKEN_SERVER_DATABASE: join(dir, 'token-server.db'),
      TOKEN_SERVER_CREATE_DATABASE: '1',
      // The callbacks go to a closed port on purpose; their retries are not news.
      LOG_LEVEL: 'error',
    });
    await buildApp(outDir, tokenServer.url, true);
    server = await preview({
      configFile: 'vite.config.ts',
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: appPort, strictPort: true, open: false },
    });
  } catch (error) {
    await server?.close();
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const started = { tokenServer, server };
  return {
    appUrl: `${appOrigin}/`,
    tokenServerUrl: tokenServer.url,
    website: new Website(tokenServer.url),
    dir,
    async deployNewVersion() {
      await buildApp(outDir, started.tokenServer.url, false);
    },
    async close() {
      await started.server.close();
      await started.tokenServer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function buildApp(outDir: string, tokenServerUrl: string, minify: boolean): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, minify } });
  await writeFile(join(outDir, 'config.json'), JSON.stringify({ tokenServerUrl }));
}

function tokenServerConfig(appOrigin: string) {
  return {
    clients: [
      {
        id: CLIENT_ID,
        secretSha256: createHash('sha256').update(CLIENT_SECRET).digest('hex'),
        name: 'Demo Bank',
        callbackUris: [CALLBACK_URI],
        types: ['otp', 'otp_match'],
      },
    ],
    types: [
      { name: 'otp', messages: { en: 'Log in to Demo Bank', nl: 'Inloggen bij Demo Bank' } },
      { name: 'otp_match', numberMatching: true, messages: { en: 'Log in to Demo Bank' } },
    ],
    appOrigins: [appOrigin],
  };
}

/** The website's backend: the relying-party API with the demo client's credentials. */
export class Website {
  constructor(readonly tokenServerUrl: string) {}

  /** Starts a login; returns the transaction id and the code for the QR. */
  async startLogin(
    type: 'otp' | 'otp_match' = 'otp',
  ): Promise<{ transactionId: string; code: string; numberMatchCode?: string }> {
    const body = await this.call('/authenticate/user', {
      type,
      callback_uri: CALLBACK_URI,
      message: 'Log in to Demo Bank',
      user_agent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      ip_address: '127.0.0.1',
    });
    return {
      transactionId: body.transaction_id as string,
      code: body.otp as string,
      ...(typeof body.number_match_code === 'string'
        ? { numberMatchCode: body.number_match_code }
        : {}),
    };
  }

  /** Starts linking a phone to `userId`; returns the enrollment code (compact digits). */
  async startEnrollment(userId = 'alice@example.com'): Promise<string> {
    const body = await this.call('/enrollments', { user_id: userId });
    return body.code as string;
  }

  /** The login's result as the website reads it. */
  async result(transactionId: string): Promise<Record<string, unknown>> {
    const response = await fetch(
      `${this.tokenServerUrl}/oauth/api/v4/authenticate/transaction/${transactionId}`,
      { headers: { Authorization: this.authorization() } },
    );
    if (!response.ok) throw new Error(`result: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private async call(path: string, fields: Record<string, string>) {
    const response = await fetch(`${this.tokenServerUrl}/oauth/api/v4${path}`, {
      method: 'POST',
      headers: {
        Authorization: this.authorization(),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private authorization(): string {
    return `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  }
}
