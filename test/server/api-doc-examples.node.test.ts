/*
 * The curl examples of docs/token-server-api.md, run as the doc shows them, in its order, against
 * a Token Server set up with `otp-login-qr init`. The commands come from the doc itself; each
 * answer must have the status, headers and JSON shape of the answer the doc shows next to it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { decodeAuthenticationPayload, decodeEnrollmentPayload } from '../../src/protocol/index.js';
import { runInit } from '../../src/server/cli/init-command.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';
import {
  freePort,
  startTokenServerProcess,
  type TokenServerProcess,
} from '../support/token-server-process.js';
import { TokenServerClient } from './token-server-fixture.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface DocExample {
  /** The heading of the doc's section that holds the command. */
  heading: string;
  command: string;
  /** The status the doc gives in bold after the command (`**200**, with …:`), if it gives one. */
  status?: number;
  /** Headers that line names as `Name: value`. */
  headers: [string, string][];
  /** The JSON blocks after the command in its section, each with the line that introduces it. */
  answers: { caption: string; json: Json }[];
}

const doc = readFileSync(new URL('../../docs/token-server-api.md', import.meta.url), 'utf8');

/** Every ```sh block that runs curl, in the doc's order, with what the doc says about its answer. */
function extractCurlExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  let heading = '';
  let current: DocExample | undefined;
  let fence: { lang: string; lines: string[]; caption: string } | undefined;
  let prose = '';
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (line.trim() !== '```') {
        fence.lines.push(line);
        continue;
      }
      const text = fence.lines.join('\n');
      if (fence.lang === 'sh' && text.includes('curl')) {
        current = { heading, command: text, headers: [], answers: [] };
        examples.push(current);
      } else if (fence.lang === 'json' && current !== undefined) {
        current.answers.push({ caption: fence.caption, json: JSON.parse(text) as Json });
      }
      fence = undefined;
      continue;
    }
    const opening = /^\s*```(\w*)$/.exec(line);
    const title = /^#+ (.+)$/.exec(line);
    const status = /^\*\*(\d{3})\*\*/.exec(line);
    if (opening !== null) {
      fence = { lang: opening[1] ?? '', lines: [], caption: prose };
    } else if (title !== null) {
      heading = title[1] ?? '';
      current = undefined;
    } else if (status !== null && current !== undefined && current.status === undefined) {
      current.status = Number(status[1]);
      for (const [, name = '', value = ''] of line.matchAll(/`([A-Za-z-]+): ([^`]+)`/g)) {
        current.headers.push([name, value]);
      }
    }
    if (line.trim() !== '') prose = line.trim();
  }
  return examples;
}

/** The doc's JSON answer whose introducing line holds `caption`; the first one without it. */
function documented(example: DocExample, caption = ''): Json {
  const answer = example.answers.find((candidate) => candidate.caption.includes(caption));
  assert.ok(answer, `the doc shows no answer "${caption}" under ${example.heading}`);
  return answer.json;
}

/**
 * Asserts that `actual` has the shape of the doc's `expected`: the same keys and JSON types, not
 * the same ids or times. Booleans, nulls and `status` values must be the documented ones (they
 * tell which case the doc shows). A documented `[]` must be empty; other arrays must not be, and
 * each element must have the shape of the doc's first.
 */
function assertShape(actual: Json | undefined, expected: Json, path = 'answer'): void {
  const kind = (value: Json | undefined) =>
    value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  assert.equal(kind(actual), kind(expected), `${path}: ${JSON.stringify(actual)}`);
  if (expected === null || typeof expected === 'boolean' || path.endsWith('.status')) {
    assert.equal(actual, expected, path);
  } else if (Array.isArray(expected)) {
    const elements = actual as Json[];
    assert.equal(
      elements.length === 0,
      expected.length === 0,
      `${path}: ${JSON.stringify(actual)}`,
    );
    elements.forEach((element, index) => {
      assertShape(element, expected[0] ?? null, `${path}[${index}]`);
    });
  } else if (typeof expected === 'object') {
    const object = actual as Record<string, Json>;
    assert.deepEqual(Object.keys(object).sort(), Object.keys(expected).sort(), `${path}'s keys`);
    for (const [key, value] of Object.entries(expected)) {
      assertShape(object[key], value, `${path}.${key}`);
    }
  }
}

interface CurlAnswer {
  status: number;
  headers: Headers;
  body: string;
}

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-api-doc-'));
/** The shell variables the examples use: from init's .env, then from earlier answers. */
const variables: Record<string, string> = {};

/** Runs the doc's command in bash; a curl function only adds `--dump-header` to read the status. */
async function run(example: DocExample): Promise<CurlAnswer> {
  const headersFile = join(directory, 'headers');
  rmSync(headersFile, { force: true });
  const script = [
    'set -euo pipefail',
    'curl() { command curl --dump-header "$CURL_HEADERS" "$@"; }',
    example.command,
  ].join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-c', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CURL_HEADERS: headersFile, ...variables },
    timeout: 45_000,
  });
  // The last response in the dump (curl writes one block per response it gets).
  const block =
    readFileSync(headersFile, 'utf8')
      .trimEnd()
      .split(/\r?\n\r?\n/)
      .at(-1) ?? '';
  const [statusLine = '', ...headerLines] = block.split(/\r?\n/);
  const headers = new Headers();
  for (const header of headerLines) {
    const colon = header.indexOf(':');
    headers.append(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: stdout };
}

/** Runs the example and checks its answer against the doc; returns the answer's JSON. */
async function runAndCheck(
  example: DocExample,
  expected: Json | undefined,
  status = example.status,
): Promise<Json> {
  const answer = await run(example);
  assert.equal(answer.status, status, `HTTP status; body: ${answer.body}`);
  for (const [name, value] of example.headers) {
    assert.equal(answer.headers.get(name), value, name);
  }
  if (expected === undefined) {
    assert.equal(answer.body, '', 'the doc shows no body');
    return null;
  }
  const json = JSON.parse(answer.body) as Json;
  assertShape(json, expected);
  return json;
}

function field(json: Json, ...path: (string | number)[]): string {
  let value: Json | undefined = json;
  for (const key of path) {
    value = (value as Record<string | number, Json> | null)?.[key];
  }
  assert.equal(typeof value, 'string', path.join('.'));
  return value as string;
}

let server: TokenServerProcess | undefined;
let client: TokenServerClient;
/** A phone linked to alice before the examples: a login needs one, and only a phone can link. */
let alicePhone: TestDevice;
/** The phone that links with the enrollment code of the enrollment example. */
let newPhone: TestDevice;
let loginOtp = '';

/** The phone's side of an enrollment code, signed as the scanner app signs it. */
async function linkPhone(code: string, deviceName: string): Promise<TestDevice> {
  const device = await createTestDevice();
  client.now = Date.now();
  const linked = await client.completeEnrollment(
    device,
    decodeEnrollmentPayload(code),
    device.publicJwk,
    deviceName,
  );
  assert.equal(linked.status, 201, await linked.clone().text());
  device.deviceId = field((await linked.json()) as Json, 'device_id');
  return device;
}

/** The website confirms a link, as it does once its user saw the same code on both. */
async function confirmLink(enrollmentId: string): Promise<void> {
  const confirmed = await client.relyingParty(`/enrollments/${enrollmentId}/confirm`, {
    method: 'POST',
    body: new URLSearchParams({ matches: 'true' }),
    clientId: variables.CLIENT_ID ?? '',
    secret: variables.CLIENT_SECRET ?? '',
  });
  assert.equal(confirmed.status, 200, await confirmed.clone().text());
}

/** The phone redeems a login code (the user has scanned it) and, if given, answers it. */
async function scan(
  phone: TestDevice,
  transactionId: string,
  otp: string,
  answer?: 'accept' | 'deny',
) {
  client.now = Date.now();
  const redeemed = await client.mobile(phone, `/transactions/${transactionId}/redeem`, { otp });
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  if (answer === undefined) return;
  const answered = await client.mobile(phone, `/transactions/${transactionId}/answer`, { answer });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  return answered.body;
}

/** What this test does around each example, by the example's heading. */
const steps: Record<string, (example: DocExample) => Promise<void>> = {
  'POST /oauth/api/v4/authenticate/user': async (example) => {
    const answer = await runAndCheck(example, documented(example));
    variables.TRANSACTION_ID = field(answer, 'transaction_id');
    loginOtp = decodeAuthenticationPayload(field(answer, 'otp')).otp;
  },

  'GET /oauth/api/v4/authenticate/transaction/{transaction_id}': async (example) => {
    await runAndCheck(example, documented(example, 'Still waiting for a scan'));
  },

  'Long-poll: `?wait=N&status=S` (our extension)': async (example) => {
    // The user scans and accepts first, so the wait for a status other than `pending` answers at
    // once ("a normal 200"). init's passwordless type asks for proof of presence unless the
    // browser and the phone share a network, and this phone's address says nothing (loopback):
    // the login waits for the browser to type the phone's code, as the section above shows it.
    const answered = await scan(alicePhone, variables.TRANSACTION_ID ?? '', loginOtp, 'accept');
    variables.PRESENCE_CODE = field((answered ?? null) as Json, 'presence_code');
    const resultExample = examples.find(
      (other) => other.heading === 'GET /oauth/api/v4/authenticate/transaction/{transaction_id}',
    );
    assert.ok(resultExample);
    await runAndCheck(example, documented(resultExample, "type the phone's code"), 200);
  },

  'POST /oauth/api/v4/authenticate/transaction/{transaction_id}/presence (our extension)': async (
    example,
  ) => {
    // The browser's user typed the code the phone showed: the login is accepted.
    await runAndCheck(example, documented(example));
  },

  'POST /oauth/api/v4/authenticate/transactions/wait (our extension)': async (example) => {
    // The example's second login is one a phone has scanned: only a phone can do that, so the
    // test starts it and scans it here. The first (accepted above) is the one the answer holds.
    const started = await client.relyingParty('/authenticate/user', {
      method: 'POST',
      body: new URLSearchParams({ type: 'otp', callback_uri: variables.CALLBACK_URI ?? '' }),
      clientId: variables.CLIENT_ID ?? '',
      secret: variables.CLIENT_SECRET ?? '',
    });
    const other = (await started.json()) as Json;
    variables.OTHER_TRANSACTION_ID = field(other, 'transaction_id');
    await scan(
      alicePhone,
      variables.OTHER_TRANSACTION_ID,
      decodeAuthenticationPayload(field(other, 'otp')).otp,
    );
    await runAndCheck(example, documented(example), 200); // "The answer holds the results"
  },

  'POST /oauth/api/v4/enrollments (our extension)': async (example) => {
    const answer = await runAndCheck(example, documented(example));
    variables.ENROLLMENT_ID = field(answer, 'enrollment_id');
    // The phone uses the code, as the scanner app would after scanning it.
    newPhone = await linkPhone(field(answer, 'code'), 'Pixel 8');
  },

  'GET /oauth/api/v4/enrollments/{enrollment_id} (our extension)': async (example) => {
    // The phone used the code: the page shows the phone's code and asks.
    await runAndCheck(example, documented(example));
  },

  'POST /oauth/api/v4/enrollments/{enrollment_id}/confirm (our extension)': async (example) => {
    await runAndCheck(example, documented(example));
  },

  'GET /oauth/api/v4/users/{user_id}/devices (our extension)': async (example) => {
    const answer = await runAndCheck(example, documented(example));
    // Oldest first: the phone linked by the enrollment example is the last.
    const devices = (answer as { devices: Json[] }).devices;
    variables.DEVICE_ID = field(devices.at(-1) ?? null, 'device_id');
    assert.equal(variables.DEVICE_ID, newPhone.deviceId);
  },

  'DELETE /oauth/api/v4/devices/{device_id} (our extension)': async (example) => {
    await runAndCheck(example, undefined);
    // The same call again: the device is revoked already, which gives the documented error.
    await runAndCheck(example, documented(example), 404);
  },
};

const examples = extractCurlExamples(doc);

describe('the curl examples of docs/token-server-api.md, against a server set up by init', () => {
  before(async () => {
    const port = await freePort();
    const website = `http://127.0.0.1:${await freePort()}`; // nothing listens: callbacks fail
    const { envPath } = runInit(
      ['--website', website, '--token-server', `http://127.0.0.1:${port}`],
      directory,
    );
    // The doc names, beside each shell variable, the .env entry of init that holds its value.
    const env = new Map(
      readFileSync(envPath, 'utf8')
        .split('\n')
        .map((line) => /^(OTP_LOGIN_\w+)=(.*)$/.exec(line))
        .flatMap((match) => (match === null ? [] : [[match[1], match[2]] as const])),
    );
    for (const [, name = '', entry = ''] of doc.matchAll(/^(\w+)=.*# (OTP_LOGIN_\w+)$/gm)) {
      const value = env.get(entry);
      assert.ok(value, `init's .env has no ${entry}`);
      variables[name] = value;
    }
    server = await startTokenServerProcess(
      {
        TOKEN_SERVER_CONFIG: join(directory, 'token-server.json'),
        TOKEN_SERVER_DATABASE: join(directory, 'token-server.db'),
        TOKEN_SERVER_CREATE_DATABASE: '1',
        TOKEN_SERVER_APP: 'off',
        LOG_LEVEL: 'error', // the callbacks go nowhere, on purpose
      },
      port,
    );
    assert.equal(variables.TOKEN_SERVER, server.url);
    client = new TokenServerClient(server.url, (request) => fetch(request));
    const enrollment = await client.relyingParty('/enrollments', {
      method: 'POST',
      body: new URLSearchParams({ user_id: 'alice@example.com' }),
      clientId: variables.CLIENT_ID ?? '',
      secret: variables.CLIENT_SECRET ?? '',
    });
    const aliceCode = field((await enrollment.json()) as Json, 'code');
    alicePhone = await linkPhone(aliceCode, 'Test phone');
    await confirmLink(decodeEnrollmentPayload(aliceCode).enrollmentId);
  });

  after(async () => {
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const example of examples) {
    it(example.heading, async () => {
      const step = steps[example.heading];
      assert.ok(step, 'this test has no step for the example: add one');
      await step(example);
    });
  }

  it("has a step for each of the doc's examples, in the doc's order, and no other", () => {
    assert.deepEqual(
      examples.map((example) => example.heading),
      Object.keys(steps),
    );
  });
});
