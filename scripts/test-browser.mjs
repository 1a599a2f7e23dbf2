#!/usr/bin/env node
// Runs the browser tests (web-test-runner, with any arguments given: files, --config …) and, when
// the only failures are a browser that crashed, runs the files it crashed in once more in that
// browser.
//
// Why: WebKitGTK's web process sometimes dies of one of its own assertions in the middle of a file
// (one CI run: "trap invalid opcode in libwebkit2gtk" in the kernel log, at a test that passed in
// every run before and after). That is the engine, not a test: it says nothing about our code,
// and a whole CI run should not hang on it. Any failed test, and any other error, fails the run at
// once, with no second try; a second crash fails it too. Every re-run is announced.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What web-test-runner reports for a page whose browser went away under it. */
const CRASH_MESSAGES = [
  /Tests were interrupted because the browser disconnected/,
  /invalid session id/i,
  /Target (page, context or browser|closed)/i,
  /Browser (has )?(been )?(closed|disconnected)/i,
];

/** The BROWSERS name (test/support/launchers/browsers.mjs) of each launcher's display name. */
const BROWSER_KEYS = { Chromium: 'chromium', Firefox: 'firefox', WebKit: 'webkit' };

/**
 * @typedef {{ browser: string, testFile: string, passed: boolean, failedTests: number,
 *   errors: string[] }} SessionResult
 */

/** Runs web-test-runner; returns its exit code and the sessions it reported (if it got that far). */
function runWebTestRunner(args, env) {
  const folder = mkdtempSync(join(tmpdir(), 'otp-login-qr-wtr-'));
  const resultsFile = join(folder, 'results.json');
  try {
    const run = spawnSync('npx', ['web-test-runner', ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env, WTR_RESULTS_FILE: resultsFile },
    });
    /** @type {SessionResult[] | undefined} */
    let sessions;
    try {
      sessions = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      sessions = undefined;
    }
    return { status: run.status ?? 1, sessions };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** @param {SessionResult} session */
function crashedOnly(session) {
  return (
    session.failedTests === 0 &&
    session.errors.length > 0 &&
    session.errors.every((message) => CRASH_MESSAGES.some((pattern) => pattern.test(message)))
  );
}

/** The args without the files named in them: the options, kept for the second run. */
function optionsOf(args) {
  const options = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (!arg.startsWith('-')) continue;
    options.push(arg);
    const value = args[index + 1];
    if (!arg.includes('=') && value !== undefined && !value.startsWith('-')) {
      options.push(value);
      index += 1;
    }
  }
  return options;
}

const args = process.argv.slice(2);
const first = runWebTestRunner(args, {});
if (first.status === 0) process.exit(0);

const failed = (first.sessions ?? []).filter((session) => !session.passed);
if (first.sessions === undefined || failed.length === 0 || !failed.every(crashedOnly)) {
  process.exit(first.status);
}

// Every failure is a crash: run those files again, each browser on its own.
let status = 0;
/** @type {Map<string, SessionResult[]>} */
const byBrowser = new Map();
for (const session of failed) {
  byBrowser.set(session.browser, [...(byBrowser.get(session.browser) ?? []), session]);
}
for (const [browser, sessions] of byBrowser) {
  const key = BROWSER_KEYS[browser];
  if (key === undefined) process.exit(first.status);
  const files = sessions.map((session) => session.testFile);
  console.log(
    `\n${browser} crashed (${sessions[0].errors[0]}) while running ${files.join(', ')}: ` +
      `the browser, not a test. Running ${files.length === 1 ? 'that file' : 'those files'} ` +
      `again in ${browser}, once.\n`,
  );
  const again = runWebTestRunner([...optionsOf(args), ...files], { BROWSERS: key });
  if (again.status !== 0) status = again.status;
}
process.exit(status);
