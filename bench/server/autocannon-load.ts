/*
 * The same two loads as load.ts and full-cycle.ts, driven by autocannon instead of fetch.
 *
 * Why both: the load client shares this machine's two cores with the server. fetch costs the
 * client more a request than the Token Server costs the server, so with fetch the ratio to the
 * bare handler mostly measures fetch. autocannon writes prebuilt requests to raw sockets and
 * costs a fraction of that, so both the ceiling and the cycle are set by the server's own cost
 * a request: that ratio says what the Token Server's work costs next to a bare handler.
 */
import autocannon from 'autocannon';
import { decodeQrPayload } from '../../src/protocol/index.js';
import { CLIENT_SECRET } from '../../test/server/token-server-fixture.js';
import type { TokenServerProcess } from '../../test/support/token-server-process.js';
import type { BenchPhone } from './bench-phone.js';
import { CONCURRENCY, DURATION_MS } from './load.js';

const WEBSITE_AUTHORIZATION = `Basic ${Buffer.from(`demo:${CLIENT_SECRET}`).toString('base64')}`;

export interface AutocannonLoad {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

function toLoad(result: autocannon.Result): AutocannonLoad {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `autocannon saw ${result.errors} errors, ${result.timeouts} timeouts and ${result.non2xx} non-2xx answers`,
    );
  }
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** Bounded in time: DURATION_MS, CONCURRENCY connections, no pipelining. */
function run(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({
    connections: CONCURRENCY,
    duration: DURATION_MS / 1000,
    ...options,
  });
}

export async function ceilingWithAutocannon(url: string): Promise<AutocannonLoad> {
  return toLoad(await run({ url }));
}

interface CycleContext {
  id?: string;
  otp?: string;
  phone?: BenchPhone;
}

/**
 * initialize → redeem → answer → result, over and over on each connection. Each cycle takes the
 * next linked phone; a cycle that does not end "accepted" fails the run.
 */
export async function fullCycleWithAutocannon(
  server: TokenServerProcess,
  callbackUri: string,
  phones: BenchPhone[],
): Promise<AutocannonLoad> {
  let nextPhone = 0;
  let unaccepted = 0;
  const mobile = '/api/mobile/v1/transactions';
  const signedPost =
    (action: string, body: unknown) => (request: autocannon.Request, context: object) => {
      const cycle = context as CycleContext;
      const path = `${mobile}/${cycle.id ?? ''}/${action}`;
      const text = JSON.stringify(action === 'redeem' ? { otp: cycle.otp } : body);
      return {
        ...request,
        path,
        body: text,
        headers: cycle.phone?.signedHeaders(`${server.url}${path}`, text) ?? {},
      };
    };
  const result = await run({
    url: server.url,
    requests: [
      {
        method: 'POST',
        path: '/oauth/api/v4/authenticate/user',
        headers: {
          authorization: WEBSITE_AUTHORIZATION,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ type: 'otp', callback_uri: callbackUri }).toString(),
        onResponse(_status, body, context) {
          const cycle = context as CycleContext;
          const login = JSON.parse(body) as { transaction_id: string; otp: string };
          const payload = decodeQrPayload(login.otp);
          if (payload.kind !== 'authentication') throw new Error('not a login code');
          cycle.id = login.transaction_id;
          cycle.otp = payload.otp;
          cycle.phone = phones[nextPhone++ % phones.length];
        },
      },
      { method: 'POST', setupRequest: signedPost('redeem', undefined) },
      { method: 'POST', setupRequest: signedPost('answer', { answer: 'accept' }) },
      {
        method: 'GET',
        headers: { authorization: WEBSITE_AUTHORIZATION },
        setupRequest: (request, context) => ({
          ...request,
          path: `/oauth/api/v4/authenticate/transaction/${(context as CycleContext).id ?? ''}`,
        }),
        onResponse(_status, body) {
          if ((JSON.parse(body) as { status?: string }).status !== 'accepted') unaccepted += 1;
        },
      },
    ],
  });
  if (unaccepted > 0) throw new Error(`${unaccepted} cycles did not end accepted`);
  return toLoad(result);
}
