import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import pino from 'pino';
import { createDemoWebsite } from '../demo/demo-website.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { createTokenServer } from '../token-server/app.js';
import { parseTokenServerConfig, type TokenServerConfigInput } from '../token-server/config.js';
import { LOGGER_REDACTIONS, LOGGER_SERIALIZERS } from '../token-server/request-log.js';
import { lanAddress } from './lan-address.js';
import type { LaunchOptions } from './launch-options.js';
import { createPwaServer } from '../app-host/pwa-static-server.js';
import { selfSignedCertificate, type Certificate } from './self-signed-certificate.js';
import { terminalQr } from './terminal-qr.js';

export interface Launched {
  urls: { tokenServer: string; demo: string; app: string };
  /**
   * Stops the Token Server as a shutdown does (held waits answered, SQLite closed), leaves it
   * down for `downMs`, then starts it again on the same port and database: what a deploy or a
   * crash-and-restart looks like to the website and the phone.
   */
  restartTokenServer(downMs?: number): Promise<void>;
  /** Answers held waits, closes the three servers and the databases. */
  stop(): Promise<void>;
}

const PURGE_INTERVAL_MS = 60_000;
const PURGE_GRACE_MS = 10 * 60_000;
const EXAMPLE_CONFIG = 'config/token-server.example.json';

/**
 * Runs the whole system in this process as three origins: the Token Server, the demo website and
 * the scanner PWA, each on its own port, with SQLite under `dataDir`.
 */
export async function launch(options: LaunchOptions): Promise<Launched> {
  const lan = options.https ? lanAddress() : undefined;
  // Over https, a phone on the network must reach all three, so the URLs use the LAN address.
  const publicHost = lan ?? 'localhost';
  const scheme = options.https ? 'https' : 'http';
  const urls = {
    tokenServer: `${scheme}://${publicHost}:${options.tokenServerPort}`,
    demo: `${scheme}://${publicHost}:${options.demoPort}`,
    app: `${scheme}://${publicHost}:${options.appPort}`,
  };
  const certificate = options.https
    ? await selfSignedCertificate(join(options.dataDir, 'tls'), [
        'localhost',
        '127.0.0.1',
        ...(lan === undefined ? [] : [lan]),
      ])
    : undefined;

  // One client secret per run: the demo and the Token Server share this process.
  const clientSecret = randomBytes(32).toString('base64url');
  const configPath = options.tokenServerConfig ?? EXAMPLE_CONFIG;
  const example = JSON.parse(readFileSync(configPath, 'utf8')) as TokenServerConfigInput;
  const [client] = example.clients;
  if (client === undefined) throw new TypeError(`${configPath} has no client.`);
  const config = parseTokenServerConfig({
    ...example,
    clients: [
      {
        ...client,
        secretSha256: createHash('sha256').update(clientSecret).digest('hex'),
        callbackUris: [`${urls.demo}/otp-login/callback`],
      },
    ],
    appOrigins: [urls.app],
  });

  const logger = pino({
    level: options.logLevel,
    redact: LOGGER_REDACTIONS,
    serializers: LOGGER_SERIALIZERS,
  });
  const databasePath = join(options.dataDir, 'token-server.db');
  const startTokenServer = () => {
    const store = new SqliteStore(databasePath, {
      onCheckpointError: (error) => {
        logger.warn({ err: error }, 'SQLite checkpoint failed; it is tried again');
      },
    });
    // The demo's callback URI is served with this run's self-signed certificate: trust it (and
    // only it) for callbacks, or each one would fail TLS verification and be lost.
    const server = createTokenServer({ config, store, logger, callbackCa: certificate?.cert });
    const purge = setInterval(() => {
      store.purgeExpired(Date.now() - PURGE_GRACE_MS).catch((error: unknown) => {
        logger.warn({ err: error }, 'purge failed');
      });
    }, PURGE_INTERVAL_MS);
    purge.unref();
    return { server, purge };
  };
  /** The running Token Server; undefined while it restarts. */
  let tokenServer: ReturnType<typeof startTokenServer> | undefined = startTokenServer();

  const loginType = config.types.find((type) => !type.secondFactor)?.name ?? 'otp';
  const secondFactorType = config.types.find((type) => type.secondFactor)?.name;
  const demo = createDemoWebsite({
    publicOrigin: urls.demo,
    appUrl: `${urls.app}/`,
    tokenServer: {
      url: urls.tokenServer,
      clientId: client.id,
      clientSecret,
      // Same process: no round trip through TLS with a certificate Node would not trust.
      fetch: (request) =>
        tokenServer === undefined
          ? Promise.reject(new TypeError('fetch failed: the Token Server is restarting'))
          : Promise.resolve(tokenServer.server.app.fetch(request)),
    },
    loginType,
    secondFactorType: secondFactorType ?? null,
    databasePath: join(options.dataDir, 'demo.db'),
    widgetScriptPath: options.widgetScript,
    onError: (error) => {
      logger.error({ err: error }, 'demo website error');
    },
  });
  const pwa = createPwaServer({ root: options.appDir, tokenServerUrl: urls.tokenServer });

  const servers = await Promise.all([
    listen(tokenServer.server.app, options.host, options.tokenServerPort, certificate),
    listen(demo.app, options.host, options.demoPort, certificate),
    listen(pwa, options.host, options.appPort, certificate),
  ]);

  const stopTokenServer = async (listener: Server) => {
    const running = tokenServer;
    tokenServer = undefined;
    if (running === undefined) return;
    clearInterval(running.purge);
    running.server.beginShutdown();
    await close(listener);
    await running.server.close();
  };

  let stopped: Promise<void> | undefined;
  return {
    urls,
    async restartTokenServer(downMs = 0) {
      if (stopped !== undefined) return;
      await stopTokenServer(servers[0]);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      const restarted = startTokenServer();
      servers[0] = await listen(
        restarted.server.app,
        options.host,
        options.tokenServerPort,
        certificate,
      );
      tokenServer = restarted;
    },
    stop() {
      stopped ??= (async () => {
        const [listener, ...others] = servers;
        await stopTokenServer(listener);
        await Promise.all(others.map(close));
        demo.close();
      })();
      return stopped;
    },
  };
}

/** What `npm start` prints once the three servers listen. */
export function describeLaunch(launched: Launched, options: LaunchOptions): string {
  const lines = [
    '',
    `  Token Server   ${launched.urls.tokenServer}`,
    `  Demo website   ${launched.urls.demo}   ← open this in your browser`,
    `  Scanner app    ${launched.urls.app}`,
    '',
    `  Data: ${options.dataDir}/ (SQLite)`,
  ];
  if (options.https) {
    lines.push(
      '',
      '  The certificate is self-signed: accept it once in your browser for each of the three',
      '  addresses, and on your phone. Scan this with your phone to open the scanner app:',
      '',
      terminalQr(`${launched.urls.app}/`),
    );
  } else {
    lines.push('', '  For a real phone on this network: npm start -- --https');
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

function listen(app: Hono, host: string, port: number, certificate: Certificate | undefined) {
  return new Promise<Server>((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port,
        ...(certificate
          ? {
              createServer: createHttpsServer,
              serverOptions: { key: certificate.key, cert: certificate.cert },
            }
          : {}),
      },
      () => {
        resolve(server as Server);
      },
    );
    server.once('error', reject);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    // Held long-polls and keep-alive sockets would keep close() waiting.
    server.closeAllConnections();
  });
}
