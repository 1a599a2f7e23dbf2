/*
 * The whole system the way `npm start` runs it: the launcher of src/server/start with the Token
 * Server, the demo website and the scanner PWA on three loopback ports, SQLite in a temporary
 * folder. The widget bundle and the PWA are built once per test run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { launch, type Launched } from '../../../src/server/start/index.js';
import { freePort } from '../../support/token-server-process.js';

export interface Builds {
  readonly dir: string;
  readonly appDir: string;
  readonly widgetScript: string;
}

/** Builds the PWA (Vite) and the widget bundle (esbuild) into a temporary folder. */
export async function buildOnce(): Promise<Builds> {
  const dir = await mkdtemp(join(tmpdir(), 'otp-e2e-build-'));
  const appDir = join(dir, 'app');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: appDir } });
  const { buildWidget, WIDGET_BUNDLE } = (await import('../../../scripts/build-widget.mjs')) as {
    buildWidget: () => Promise<unknown>;
    WIDGET_BUNDLE: string;
  };
  await buildWidget();
  return { dir, appDir, widgetScript: WIDGET_BUNDLE };
}

export interface SystemOptions {
  /** Seconds a login code lives (the `otp` type's time to live). Default 60. */
  loginSeconds?: number;
  /**
   * Whether the `otp` type's Accept needs the user's fingerprint or face (a passkey): the Token
   * Server's `userVerification`. Default `none`.
   */
  userVerification?: 'required' | 'preferred' | 'none';
}

export interface System extends Launched {
  readonly dataDir: string;
  /** Stops the three servers and removes the data. */
  close(): Promise<void>;
}

/** Starts the three origins on free ports, with a Token Server config made for the test. */
export async function startSystem(builds: Builds, options: SystemOptions = {}): Promise<System> {
  const dataDir = await mkdtemp(join(tmpdir(), 'otp-e2e-data-'));
  const configPath = join(dataDir, 'token-server.json');
  await writeFile(
    configPath,
    JSON.stringify(
      tokenServerConfig(options.loginSeconds ?? 60, options.userVerification ?? 'none'),
    ),
  );
  const [tokenServerPort, demoPort, appPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const launched = await launch({
    https: false,
    host: '127.0.0.1',
    tokenServerPort,
    demoPort,
    appPort,
    dataDir,
    appDir: builds.appDir,
    widgetScript: builds.widgetScript,
    skipBuild: true,
    // Quiet by default: the restart story makes the website log the Token Server's absence.
    logLevel: process.env.E2E_LOG_LEVEL ?? 'fatal',
    tokenServerConfig: configPath,
  });
  return {
    ...launched,
    dataDir,
    async close() {
      await launched.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The example config with the login code's lifetime and its user verification set; the launcher
 * fills in the secrets and the app's origin.
 */
export function tokenServerConfig(
  loginSeconds: number,
  userVerification: 'required' | 'preferred' | 'none' = 'none',
) {
  return {
    clients: [
      {
        id: 'demo-website',
        secretSha256: '0'.repeat(64),
        name: 'Demo Shop',
        callbackUris: ['http://localhost/replaced-by-the-launcher'],
        types: ['otp', 'otp_second_factor'],
      },
    ],
    types: [
      {
        name: 'otp',
        timeToLiveMs: loginSeconds * 1000,
        // As the example config: a browser not known to share the phone's network (here: all
        // loopback) types the code the phone shows after Accept.
        proofOfPresence: 'unless_same_network',
        userVerification,
        messages: { en: 'Log in to Demo Shop', nl: 'Inloggen bij Demo Shop' },
      },
      {
        name: 'otp_second_factor',
        secondFactor: true,
        messages: { en: 'Confirm your login to Demo Shop', nl: 'Bevestig uw inlog' },
      },
    ],
    appOrigins: ['http://localhost'],
    // Every address here is loopback, which no IP database places: nothing to load.
    ipLocation: false,
  };
}
