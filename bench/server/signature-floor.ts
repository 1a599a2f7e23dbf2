/*
 * What the signature checks alone cost a cycle request: the Token Server verifies an ECDSA P-256
 * signature on the redeem and on the answer, two of the cycle's four requests. Measured here with
 * the same node:crypto call the server makes (device-key.ts), so the report can say which ratio
 * to the bare handler is reachable at all, even by a server that spent nothing on anything else.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';

const VERIFIES_A_CYCLE = 2;
const REQUESTS_A_CYCLE = 4;

/** Microseconds of signature checking per cycle request, on this machine. */
export function signatureMicrosecondsPerRequest(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from(`POST\n/api/mobile/v1/transactions/id/answer\n${'x'.repeat(120)}`);
  const key = { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const check = () => {
    if (!verify('sha256', data, key, signature)) throw new Error('the signature did not verify');
  };
  for (let i = 0; i < 300; i += 1) check();
  const rounds = 3000;
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) check();
  const perVerify = ((performance.now() - started) * 1000) / rounds;
  return (perVerify * VERIFIES_A_CYCLE) / REQUESTS_A_CYCLE;
}
