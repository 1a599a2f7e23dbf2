import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { isDeviceName } from '../../../protocol/index.js';
import type { DeviceAuthenticator } from '../device-authenticator.js';
import type { EnrollmentService } from '../enrollment-service.js';
import { mobileError } from '../errors.js';
import type { TransactionService } from '../transaction-service.js';

const HEX128 = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/));

const EnrollBody = v.strictObject({
  secret: HEX128,
  public_key: v.unknown(),
  // Shown in the website's list of linked phones, so held to the rule of display names.
  device_name: v.pipe(
    v.string(),
    v.check((name: string) => isDeviceName(name)),
  ),
});
const RedeemBody = v.strictObject({ otp: HEX128 });
const AnswerBody = v.strictObject({
  answer: v.picklist(['accept', 'deny']),
  number: v.optional(v.pipe(v.string(), v.regex(/^\d{2}$/))),
});

/** The mobile API that the SDK calls; every call is signed by the device key. */
export function mobileRoutes(options: {
  authenticator: DeviceAuthenticator;
  transactions: TransactionService;
  enrollments: EnrollmentService;
  clientIp: (c: Context) => string | null;
}): Hono {
  const app = new Hono();

  app.post('/enrollments/:enrollmentId', async (c) => {
    const enrollmentId = idParam(c.req.param('enrollmentId'));
    const request = await signedRequest(c);
    const body = parseJson(EnrollBody, request.body);
    const publicKey = await options.authenticator.verifyEnrollment(request, body.public_key);
    return c.json(
      await options.enrollments.complete(enrollmentId, body.secret, publicKey, body.device_name),
      201,
    );
  });

  app.post('/transactions/:transactionId/redeem', async (c) => {
    const transactionId = idParam(c.req.param('transactionId'));
    const request = await signedRequest(c);
    const device = await options.authenticator.verify(request);
    const body = parseJson(RedeemBody, request.body);
    return c.json(
      await options.transactions.redeem(device, transactionId, body.otp, options.clientIp(c)),
    );
  });

  app.post('/transactions/:transactionId/answer', async (c) => {
    const transactionId = idParam(c.req.param('transactionId'));
    const request = await signedRequest(c);
    const device = await options.authenticator.verify(request);
    const body = parseJson(AnswerBody, request.body);
    return c.json(
      await options.transactions.answer(
        device,
        transactionId,
        body.answer === 'accept',
        body.number ?? null,
      ),
    );
  });

  return app;
}

async function signedRequest(c: Context): Promise<{
  method: string;
  pathAndQuery: string;
  headers: Headers;
  body: Uint8Array;
}> {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    pathAndQuery: url.pathname + url.search,
    headers: c.req.raw.headers,
    body: new Uint8Array(await c.req.arrayBuffer()),
  };
}

function idParam(value: string): string {
  if (!/^[0-9a-f]{32}$/.test(value))
    throw mobileError('MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND', 404);
  return value;
}

function parseJson<S extends v.GenericSchema>(schema: S, body: Uint8Array): v.InferOutput<S> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    throw Object.assign(mobileError('INVALID_REQUEST', 400, 'The body is not JSON.'), { cause });
  }
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const field = v.getDotPath(issue) ?? 'body';
    throw mobileError('INVALID_REQUEST', 400, `The field ${field} is missing or invalid.`);
  }
  return result.output;
}
