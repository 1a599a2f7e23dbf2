import { Hono, type Context } from 'hono';
import type * as v from 'valibot';
import {
  MOBILE_API_ENDPOINTS,
  MobileAnswerRequest,
  MobileApiRefusal,
  MobileRedeemRequest,
  PasskeyOptionsRequest,
  PasskeyRegistrationRequest,
  parseDeviceIdParam,
  parseMobileApiBody,
  parseEnrollmentIdParam,
  parseTransactionIdParam,
  type SignedHttpRequest,
} from '../../../protocol/index.js';
import type { DeviceAuthenticator } from '../device-authenticator.js';
import type { EnrollmentService } from '../enrollment-service.js';
import { TokenServerError } from '../errors.js';
import type { PasskeyRegistration } from '../passkey-registration.js';
import type { TransactionService } from '../transaction-service.js';

const { previewEnrollment, enroll, redeem, answer, passkeyOptions, registerPasskey } =
  MOBILE_API_ENDPOINTS;

/**
 * The mobile API that the SDK calls; every call is signed by the device key. Its requests,
 * answers and refusals are src/protocol's (mobile-api-contract.ts), as are its checks, which the
 * MSW mock runs too.
 */
export function mobileRoutes(options: {
  authenticator: DeviceAuthenticator;
  transactions: TransactionService;
  enrollments: EnrollmentService;
  passkeys: PasskeyRegistration;
  clientIp: (c: Context) => string | null;
}): Hono {
  const app = new Hono();

  // Before the phone asks its user "Link this phone to …?". Changes nothing.
  app.post(previewEnrollment.route, (c) =>
    answering(async () => {
      const enrollmentId = parseEnrollmentIdParam(c.req.param('enrollmentId'));
      const body = await options.authenticator.verifyEnrollmentPreview(await signedRequest(c));
      const preview = await options.enrollments.preview(
        enrollmentId,
        body.secret,
        options.clientIp(c),
      );
      return c.json(preview, previewEnrollment.status);
    }),
  );

  app.post(enroll.route, (c) =>
    answering(async () => {
      const enrollmentId = parseEnrollmentIdParam(c.req.param('enrollmentId'));
      const body = await options.authenticator.verifyEnrollment(await signedRequest(c));
      const { secret, public_key: publicKey, device_name: deviceName } = body;
      const linked = await options.enrollments.complete(
        enrollmentId,
        secret,
        publicKey,
        deviceName,
      );
      return c.json(linked, enroll.status);
    }),
  );

  /** A transaction call of an enrolled device, checked in the contract's order. */
  async function deviceCall<S extends v.GenericSchema>(c: Context, schema: S) {
    const transactionId = parseTransactionIdParam(c.req.param('transactionId') ?? '');
    const request = await signedRequest(c);
    const device = await options.authenticator.verify(request);
    return { transactionId, device, body: parseMobileApiBody(schema, request.body) };
  }

  app.post(redeem.route, (c) =>
    answering(async () => {
      const { transactionId, device, body } = await deviceCall(c, MobileRedeemRequest);
      const phoneIp = options.clientIp(c);
      const details = await options.transactions.redeem(device, transactionId, body.otp, phoneIp);
      return c.json(details, redeem.status);
    }),
  );

  app.post(answer.route, (c) =>
    answering(async () => {
      const { transactionId, device, body } = await deviceCall(c, MobileAnswerRequest);
      const recorded = await options.transactions.answer(device, transactionId, {
        accept: body.answer === 'accept',
        pickedNumber: body.number ?? null,
        shown: body.shown,
        phoneIp: options.clientIp(c),
        userVerification: body.user_verification,
      });
      return c.json(recorded, answer.status);
    }),
  );

  /**
   * A device's call about itself (its passkey), checked in the contract's order: the id in the
   * path, the signature (a pending link may call, a revoked one not), the body.
   */
  async function ownCall<S extends v.GenericSchema>(c: Context, schema: S) {
    const deviceId = parseDeviceIdParam(c.req.param('deviceId') ?? '');
    const request = await signedRequest(c);
    const device = await options.authenticator.verifyOwnCall(request, deviceId);
    return { device, body: parseMobileApiBody(schema, request.body) };
  }

  // The options for the phone's passkey, for the app's origin that calls: right after linking.
  app.post(passkeyOptions.route, (c) =>
    answering(async () => {
      const { device } = await ownCall(c, PasskeyOptionsRequest);
      const created = await options.passkeys.creationOptions(device, c.req.header('origin'));
      return c.json(created, passkeyOptions.status);
    }),
  );

  app.post(registerPasskey.route, (c) =>
    answering(async () => {
      const { device, body } = await ownCall(c, PasskeyRegistrationRequest);
      const registered = await options.passkeys.register(device, body.registration);
      return c.json(registered, registerPasskey.status);
    }),
  );

  return app;
}

/** Runs a route; a refusal becomes the TokenServerError that the app answers with. */
async function answering(route: () => Promise<Response>): Promise<Response> {
  try {
    return await route();
  } catch (error) {
    if (!(error instanceof MobileApiRefusal)) throw error;
    throw new TokenServerError(
      {
        code: error.errorCode,
        status: error.status,
        error: error.error,
        message: error.message,
        headers: { ...error.headers },
      },
      error,
    );
  }
}

async function signedRequest(c: Context): Promise<SignedHttpRequest> {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    pathAndQuery: url.pathname + url.search,
    headers: c.req.raw.headers,
    body: new Uint8Array(await c.req.arrayBuffer()),
  };
}
