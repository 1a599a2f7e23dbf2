#!/usr/bin/env node
// Makes sure that the programs the tests drive are on this machine: the three browser engines,
// the X server that WebKitGTK needs, Redis and PostgreSQL. Run first by `npm test`.
//
// As root it installs what is missing from Debian's packages. Otherwise it names what to
// install and stops: tests never skip a browser silently.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Debian installs PostgreSQL's server programs off the PATH, in /usr/lib/postgresql/<version>/bin:
 * the initdb of the newest version there (test/support/postgres-server.ts looks for it the same
 * way), or undefined.
 */
function postgresInitdb() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => isExecutable(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions.length === 0 ? undefined : join(root, versions[0], 'bin', 'initdb');
}

/**
 * What the tests need: a program to find (a name on the PATH, a path, or a function that finds
 * it), and the Debian package that provides it.
 */
const REQUIREMENTS = [
  { program: 'chromium', package: 'chromium', what: 'Chromium' },
  { program: 'firefox-esr', package: 'firefox-esr', what: 'Firefox ESR' },
  { program: 'WebKitWebDriver', package: 'webkit2gtk-driver', what: 'the WebKitGTK WebDriver' },
  {
    program: process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    package: 'libwebkit2gtk-4.1-0',
    what: "WebKitGTK's MiniBrowser",
  },
  { program: 'xvfb-run', package: 'xvfb', what: 'a virtual X display (Xvfb)' },
  { program: 'xauth', package: 'xauth', what: 'xauth, which xvfb-run uses' },
  { program: 'redis-server', package: 'redis-server', what: 'Redis' },
  {
    program: () =>
      process.env.POSTGRES_BIN_DIR
        ? join(process.env.POSTGRES_BIN_DIR, 'initdb')
        : postgresInitdb(),
    package: 'postgresql',
    what: 'PostgreSQL',
  },
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findProgram(program) {
  if (typeof program === 'function') program = program();
  if (program === undefined) return false;
  if (program.startsWith('/')) return isExecutable(program);
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin']);
  return dirs.some((dir) => dir && isExecutable(join(dir, program)));
}

function missingRequirements() {
  return REQUIREMENTS.filter((requirement) => !findProgram(requirement.program));
}

function aptGet(args, logFile) {
  const result = spawnSync('apt-get', args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`, { flag: 'a' });
  return result.status === 0;
}

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

const missing = missingRequirements();
if (missing.length === 0) {
  console.log(
    'provision: Chromium, Firefox ESR, WebKitGTK, Xvfb, Redis and PostgreSQL are installed.',
  );
  process.exit(0);
}

const packages = [...new Set(missing.map((requirement) => requirement.package))];
const installCommand = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasAptGet = findProgram('apt-get');

if (!isRoot || !hasAptGet) {
  fail([
    `The tests need ${missing.map((requirement) => requirement.what).join(', ')}, which this machine does not have.`,
    hasAptGet
      ? `Install them as root, then run the tests again:\n\n  sudo sh -c '${installCommand}'`
      : `Install the Debian packages ${packages.join(', ')} (or your system's equivalents), then run the tests again.`,
  ]);
}

const logFile = join(tmpdir(), 'otp-login-qr-provision.log');
console.log(`provision: installing ${packages.join(', ')} with apt-get (log: ${logFile}) …`);
const installArgs = ['install', '-y', '--no-install-recommends', ...packages];
// Install straight away when the package lists are fresh; update them once if that fails.
const installed =
  aptGet(installArgs, logFile) || (aptGet(['update'], logFile) && aptGet(installArgs, logFile));
const stillMissing = missingRequirements();
if (!installed || stillMissing.length > 0) {
  fail([
    `apt-get could not install ${packages.join(', ')}; see ${logFile}.`,
    `Still missing: ${stillMissing.map((requirement) => requirement.what).join(', ') || 'nothing'}.`,
    `Try by hand: ${installCommand}`,
  ]);
}
console.log('provision: done.');
