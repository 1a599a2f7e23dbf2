#!/usr/bin/env node
/*
 * The package's command, `npx otp-login-qr …`: set up a Token Server for a website, run it, and
 * hand out the prebuilt scanner app. Every command prints its usage with --help.
 */
import { readFileSync } from 'node:fs';
import { runTokenServerProcess } from '../token-server/run.js';
import { createDatabaseIfMissing } from './create-database.js';
import { BACKUP_USAGE, runBackup } from './backup-command.js';
import { EXPORT_APP_USAGE, runExportApp } from './export-app-command.js';
import { describeInit, INIT_USAGE, runInit } from './init-command.js';

const TOKEN_SERVER_USAGE = `otp-login-qr token-server [--config FILE]

Runs the Token Server. --config (or TOKEN_SERVER_CONFIG) defaults to token-server.json. SQLite in
data/token-server.db by default (npm install better-sqlite3; init creates it, or
TOKEN_SERVER_CREATE_DATABASE=1 on a first start), REDIS_URL for Redis (npm install ioredis); the
other variables are in docs/token-server-api.md. With a publicUrl it also hosts the scanner app at
/app/.`;

const USAGE = `Usage: otp-login-qr <command> [options]

Commands:
  init          write a Token Server configuration and the website's client secret
  token-server  run the Token Server
  export-app    write the scanner app as static files, for hosting elsewhere
  backup        copy the Token Server's SQLite database while it runs

Run otp-login-qr <command> --help for its options.`;

const [command, ...args] = process.argv.slice(2);
const wantsHelp = args.includes('--help') || args.includes('-h');

try {
  switch (command) {
    case 'init':
      if (wantsHelp) {
        console.log(INIT_USAGE);
        break;
      }
      console.log(
        describeInit(
          runInit(args, process.cwd()),
          await createDatabaseIfMissing(process.env, process.cwd()),
        ),
      );
      break;
    case 'token-server':
      if (wantsHelp) {
        console.log(TOKEN_SERVER_USAGE);
        break;
      }
      await runTokenServerProcess({
        ...process.env,
        TOKEN_SERVER_CONFIG:
          configArgument(args) ?? process.env.TOKEN_SERVER_CONFIG ?? 'token-server.json',
      });
      break;
    case 'export-app':
      console.log(wantsHelp ? EXPORT_APP_USAGE : runExportApp(args, process.cwd()));
      break;
    case 'backup':
      console.log(wantsHelp ? BACKUP_USAGE : await runBackup(args, process.cwd(), process.env));
      break;
    case '--version':
    case '-v':
      console.log(packageVersion());
      break;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      break;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
} catch (error) {
  // Bad arguments and refusals are TypeErrors whose message is the whole story; for anything
  // else (a missing peer package, a full disk) the message says it too. DEBUG=1 adds the stack.
  console.error(process.env.DEBUG ? error : error instanceof Error ? error.message : error);
  process.exitCode = error instanceof TypeError ? 2 : 1;
}

function configArgument(list: readonly string[]): string | undefined {
  if (list.length === 0) return undefined;
  const [flag, value, ...rest] = list;
  if (flag !== '--config' || value === undefined || rest.length > 0) {
    throw new TypeError(`token-server takes only --config FILE.\n\n${TOKEN_SERVER_USAGE}`);
  }
  return value;
}

function packageVersion(): string {
  const path = new URL(import.meta.resolve('otp-login-qr/package.json'));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
