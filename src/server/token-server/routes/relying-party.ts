import { Hono, type MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { isIP } from 'node:net';
import {
  EnrollmentConfirmForm,
  isDisplayName,
  isLoginStatus,
  isTransactionId,
  PresenceCodeForm,
  PRESENCE_TRIES,
  TransactionId,
  LOGIN_STATUSES,
  type LoginStatus,
} from '../../../protocol/index.js';
import type { ClientConfig } from '../config.js';
import { digestsEqual, sha256Hex } from '../../security/hashing.js';
import { invalidClient, relyingPartyError } from '../errors.js';
import { unknownEnrollment, type EnrollmentService } from '../enrollment-service.js';
import type { RateCounters } from '../../store/store.js';
import { rateLimit, type FailureLimiter, type RateLimit } from '../rate-limit.js';
import type { TransactionService } from '../transaction-service.js';

type Env = { Variables: { client: ClientConfig } };

/** A device or enrollment id: 128 bits as 32 lowercase hex characters. */
const DEVICE_ID = /^[0-9a-f]{32}$/;
const ENROLLMENT_ID = DEVICE_ID;
const USER_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

/** The browser's address, as the website saw it: what the phone's network verdict compares. */
const IpAddressField = v.optional(
  v.pipe(
    v.string(),
    v.check((value) => isIP(value) !== 0, 'not an IP address'),
  ),
);
/** The browser's user agent, as the website received it. */
const UserAgentField = v.optional(v.pipe(v.string(), v.maxLength(512)));

const InitializeForm = v.strictObject({
  type: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  callback_uri: v.pipe(v.string(), v.maxLength(2048), v.url()),
  message: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1000))),
  ip_address: IpAddressField,
  user_agent: UserAgentField,
  language_code: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2}(?:-[A-Za-z]{2})?$/))),
  user_id: v.optional(v.pipe(v.string(), v.regex(USER_ID))),
});

const EnrollmentStartForm = v.strictObject({
  user_id: v.pipe(v.string(), v.regex(USER_ID)),
  display_name: v.optional(
    v.pipe(
      v.string(),
      v.check((text: string) => isDisplayName(text)),
    ),
  ),
  ip_address: IpAddressField,
  user_agent: UserAgentField,
});

/**
 * Calls of `POST …/presence` one client may make for one login in ten minutes (the longest a
 * login may wait for its code). The store's {@link PRESENCE_TRIES} tries are the real limit; this
 * bounds the calls that come after them, or before the phone accepted.
 */
export const PRESENCE_CALLS_PER_TRANSACTION = PRESENCE_TRIES * 3;
const PRESENCE_CALL_WINDOW_SECONDS = 600;

/** Transactions one batched wait may hold: 250 entries keep the body under the 16 KB cap. */
export const MAX_BATCH_WAIT_TRANSACTIONS = 250;

const BatchWaitBody = v.strictObject({
  wait: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999)),
  transactions: v.pipe(
    v.record(TransactionId, v.picklist(LOGIN_STATUSES)),
    v.check((entries) => {
      const count = Object.keys(entries).length;
      return count > 0 && count <= MAX_BATCH_WAIT_TRANSACTIONS;
    }, `1 to ${MAX_BATCH_WAIT_TRANSACTIONS} transactions`),
  ),
});

/**
 * Onegini's v4 relying-party API (HTTP Basic client credentials), and our extensions for
 * enrollment and devices. docs/token-server-api.md documents each call.
 */
export function relyingPartyRoutes(options: {
  clients: readonly ClientConfig[];
  transactions: TransactionService;
  enrollments: EnrollmentService;
  maxWaitSeconds: number;
  perClientLimit: RateLimit;
  /** Where the per-client counters live: see Store.sharedRateCounters. */
  rateCounters: RateCounters;
  /** Brakes on guessing client secrets: see app.ts. */
  failedAuth: { perClientAndAddress: FailureLimiter; perAddress: FailureLimiter };
  clientIp: (c: Parameters<MiddlewareHandler<Env>>[0]) => string | null;
}): Hono<Env> {
  const app = new Hono<Env>();

  const authenticate: MiddlewareHandler<Env> = async (c, next) => {
    const ip = options.clientIp(c);
    const header = c.req.header('authorization');
    // The id as claimed, checked or not: whether an id exists must not change how it is counted.
    const claimed = readBasicCredentials(header)?.id ?? '';
    const claimedKey = `${sha256Hex(claimed).slice(0, 32)} ${ip ?? ''}`;
    // A key that is locked answers 429 here, before its failures could count for the address.
    const forClient = await options.failedAuth.perClientAndAddress.begin(
      ip === null ? null : claimedKey,
    );
    const forAddress = await options.failedAuth.perAddress.begin(ip);
    let client: ClientConfig;
    try {
      client = authenticateClient(options.clients, header);
    } catch (error) {
      await Promise.all([forClient.failed(), forAddress.failed()]);
      throw error;
    }
    await Promise.all([forClient.succeeded(), forAddress.succeeded()]);
    c.set('client', client);
    await next();
  };
  app.use('*', authenticate);
  app.use(
    '*',
    rateLimit<Env>(options.perClientLimit, (c) => c.var.client.id, 'client', options.rateCounters),
  );

  app.post('/authenticate/user', async (c) => {
    const form = parseForm(InitializeForm, await c.req.text());
    const response = await options.transactions.initialize(c.var.client, {
      type: form.type,
      callbackUri: form.callback_uri,
      message: form.message ?? null,
      ipAddress: form.ip_address ?? null,
      userAgent: form.user_agent ?? null,
      languageCode: form.language_code ?? null,
      userId: form.user_id ?? null,
    });
    return c.json(response, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/authenticate/transaction/:transactionId', async (c) => {
    const transactionId = c.req.param('transactionId');
    if (!isTransactionId(transactionId)) throw relyingPartyError('INVALID_TRANSACTION_ID');
    const wait = parseWait(c.req.query('wait'), c.req.query('status'), options.maxWaitSeconds);
    const result = await options.transactions.result(
      c.var.client,
      transactionId,
      wait === undefined ? undefined : { ...wait, signal: c.req.raw.signal },
    );
    return c.json(result, 200, { 'Cache-Control': 'no-store' });
  });

  // The batched long-poll (our extension): one held request for many transactions, so that a
  // website backend with thousands of logins on screen holds a few connections, not thousands.
  app.post('/authenticate/transactions/wait', async (c) => {
    const body = parseJson(BatchWaitBody, c.req.header('content-type'), await c.req.text());
    const answer = await options.transactions.resultsOfAny(
      c.var.client,
      new Map(Object.entries(body.transactions)),
      Math.min(body.wait, options.maxWaitSeconds),
      c.req.raw.signal,
    );
    return c.json(answer, 200, { 'Cache-Control': 'no-store' });
  });

  // Proof of presence (our extension): the browser's user typed the code the phone shows.
  app.post(
    '/authenticate/transaction/:transactionId/presence',
    rateLimit<Env>(
      { points: PRESENCE_CALLS_PER_TRANSACTION, durationSeconds: PRESENCE_CALL_WINDOW_SECONDS },
      // Hashed: rate counters may live in a shared Redis, and the id is the website's secret.
      (c) => `${c.var.client.id} ${sha256Hex(c.req.param('transactionId') ?? '').slice(0, 32)}`,
      'presence',
      options.rateCounters,
    ),
    async (c) => {
      const transactionId = c.req.param('transactionId');
      if (!isTransactionId(transactionId)) throw relyingPartyError('INVALID_TRANSACTION_ID');
      const form = parseForm(PresenceCodeForm, await c.req.text());
      const result = await options.transactions.provePresence(
        c.var.client,
        transactionId,
        form.code,
      );
      return c.json(result, 200, { 'Cache-Control': 'no-store' });
    },
  );

  app.post('/enrollments', async (c) => {
    const form = parseForm(EnrollmentStartForm, await c.req.text());
    return c.json(
      await options.enrollments.start(c.var.client, form.user_id, form.display_name, {
        ipAddress: form.ip_address ?? null,
        userAgent: form.user_agent ?? null,
      }),
      200,
      { 'Cache-Control': 'no-store' },
    );
  });

  app.get('/enrollments/:enrollmentId', async (c) => {
    const enrollmentId = c.req.param('enrollmentId');
    if (!ENROLLMENT_ID.test(enrollmentId)) throw unknownEnrollment();
    return c.json(await options.enrollments.status(c.var.client, enrollmentId), 200, {
      'Cache-Control': 'no-store',
    });
  });

  // The website's user compared the codes on the phone and the linking page.
  app.post('/enrollments/:enrollmentId/confirm', async (c) => {
    const enrollmentId = c.req.param('enrollmentId');
    if (!ENROLLMENT_ID.test(enrollmentId)) throw unknownEnrollment();
    const form = parseForm(EnrollmentConfirmForm, await c.req.text());
    const status = await options.enrollments.confirm(
      c.var.client,
      enrollmentId,
      form.matches === 'true',
    );
    return c.json(status, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/users/:userId/devices', async (c) => {
    const userId = c.req.param('userId');
    if (!USER_ID.test(userId))
      throw relyingPartyError('INVALID_PARAMETER', 'The user id is invalid.');
    return c.json({ devices: await options.enrollments.listDevices(c.var.client, userId) });
  });

  app.delete('/devices/:deviceId', async (c) => {
    const deviceId = c.req.param('deviceId');
    if (!DEVICE_ID.test(deviceId))
      throw relyingPartyError('NO_AUTHENTICATION_POSSIBILITIES', 'No such device.');
    await options.enrollments.revoke(c.var.client, deviceId);
    return c.body(null, 204);
  });

  return app;
}

/** The client id and secret of a Basic header, or undefined when it is not one. */
function readBasicCredentials(
  header: string | undefined,
): { id: string; secret: string } | undefined {
  // The scheme name is case-insensitive (RFC 9110); id and secret are form-encoded (RFC 6749).
  const match = /^basic ([A-Za-z0-9+/=]{1,512})$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

function authenticateClient(
  clients: readonly ClientConfig[],
  header: string | undefined,
): ClientConfig {
  const credentials = readBasicCredentials(header);
  if (credentials === undefined) throw invalidClient();
  const { id, secret } = credentials;
  const secretHash = sha256Hex(secret);
  const client = clients.find((candidate) => candidate.id === id);
  // Compare even for an unknown id, so that timing does not tell which ids exist.
  const expected = client?.secretSha256 ?? '0'.repeat(64);
  if (!digestsEqual(expected, secretHash) || client === undefined) throw invalidClient();
  return client;
}

function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function parseForm<S extends v.GenericSchema>(schema: S, body: string): v.InferOutput<S> {
  const params = new URLSearchParams(body);
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(fields, name))
      throw relyingPartyError('INVALID_PARAMETER', `The parameter ${name} is repeated.`);
    fields[name] = value;
  }
  const result = v.safeParse(schema, fields);
  if (!result.success) {
    const issue = result.issues[0];
    const name = v.getDotPath(issue) ?? 'request';
    throw relyingPartyError('INVALID_PARAMETER', `The parameter ${name} is missing or invalid.`);
  }
  return result.output;
}

function parseJson<T extends v.GenericSchema>(
  schema: T,
  contentType: string | undefined,
  body: string,
): v.InferOutput<T> {
  if (!/^application\/json\s*(?:;|$)/i.test(contentType ?? ''))
    throw relyingPartyError('INVALID_PARAMETER', 'The body must be application/json.');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw relyingPartyError('INVALID_PARAMETER', 'The body is not JSON.');
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    const name = v.getDotPath(result.issues[0]) ?? 'body';
    throw relyingPartyError('INVALID_PARAMETER', `The field ${name} is missing or invalid.`);
  }
  return result.output;
}

function parseWait(
  wait: string | undefined,
  status: string | undefined,
  maxWaitSeconds: number,
): { seconds: number; knownStatus: LoginStatus } | undefined {
  if (wait === undefined) return undefined;
  if (!/^\d{1,3}$/.test(wait))
    throw relyingPartyError('INVALID_PARAMETER', 'wait must be a number of seconds.');
  const knownStatus = status ?? 'pending';
  if (!isLoginStatus(knownStatus))
    throw relyingPartyError('INVALID_PARAMETER', 'status is not a login status.');
  return { seconds: Math.min(Number(wait), maxWaitSeconds), knownStatus };
}
