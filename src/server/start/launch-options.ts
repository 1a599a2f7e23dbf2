import { parseArgs } from 'node:util';

/** How `npm start` runs the three origins. */
export interface LaunchOptions {
  https: boolean;
  /** Address the three servers listen on. */
  host: string;
  tokenServerPort: number;
  demoPort: number;
  appPort: number;
  /** SQLite files (and the generated certificate) go here. */
  dataDir: string;
  /** The built PWA. */
  appDir: string;
  /** The built widget bundle. */
  widgetScript: string;
  /** Skip `npm run build:widget` and `build:app` (the bundles are already there, or tests). */
  skipBuild: boolean;
  logLevel: string;
  /**
   * The Token Server's clients and OTP types (JSON, as TOKEN_SERVER_CONFIG). Its client secret,
   * callback URI and app origin are replaced by this run's. Default: the example config.
   */
  tokenServerConfig?: string;
}

const USAGE = `Usage: npm start -- [options]
  --https                 serve all three over HTTPS with a self-signed certificate (or OTP_LOGIN_HTTPS=1)
  --host ADDRESS          listen address (default 127.0.0.1; 0.0.0.0 with --https)
  --token-server-port N   Token Server port (default 7001, or TOKEN_SERVER_PORT)
  --demo-port N           demo website port (default 7002, or DEMO_PORT)
  --app-port N            scanner PWA port (default 7003, or APP_PORT)
  --data-dir DIR          SQLite files and certificate (default ./data, or OTP_LOGIN_DATA_DIR)
  --skip-build            do not run npm run build:widget / build:app first
  --help                  this text`;

export function launchUsage(): string {
  return USAGE;
}

/** Reads flags first, then environment variables, then defaults. Throws TypeError on bad input. */
export function parseLaunchOptions(argv: string[], env: NodeJS.ProcessEnv): LaunchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      https: { type: 'boolean' },
      host: { type: 'string' },
      'token-server-port': { type: 'string' },
      'demo-port': { type: 'string' },
      'app-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'skip-build': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const https =
    values.https ?? ['1', 'true', 'yes'].includes((env.OTP_LOGIN_HTTPS ?? '').toLowerCase());
  const port = (
    flag: string | undefined,
    variable: string | undefined,
    fallback: number,
    name: string,
  ) => {
    const text = flag ?? variable ?? String(fallback);
    const value = Number(text);
    if (!/^[0-9]{1,5}$/.test(text) || value > 65535)
      throw new TypeError(`${name} must be a port number (0-65535), not "${text}".`);
    return value;
  };
  return {
    https,
    host: values.host ?? env.OTP_LOGIN_HOST ?? (https ? '0.0.0.0' : '127.0.0.1'),
    tokenServerPort: port(
      values['token-server-port'],
      env.TOKEN_SERVER_PORT,
      7001,
      '--token-server-port',
    ),
    demoPort: port(values['demo-port'], env.DEMO_PORT, 7002, '--demo-port'),
    appPort: port(values['app-port'], env.APP_PORT, 7003, '--app-port'),
    dataDir: values['data-dir'] ?? env.OTP_LOGIN_DATA_DIR ?? 'data',
    appDir: 'dist/app',
    widgetScript: 'dist/browser/otp-login-qr.js',
    skipBuild: values['skip-build'] ?? false,
    logLevel: env.LOG_LEVEL ?? 'warn',
  };
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
