/*
 * The website contract suite against the relying-party kit, with its defaults, in front of a real
 * Token Server (in this process) and a phone that scans through the mobile API.
 */
import {
  createOtpLoginKit,
  MemoryLoginStore,
  type OtpLoginKitConfig,
} from '../../src/server/kit/index.js';
import { decodeQrPayload } from '../../src/protocol/index.js';
import { scan } from '../kit/kit-harness.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';
import { createTestDevice } from '../support/test-device.js';
import { describeWebsiteContract } from './website-contract.js';
import type { WebsiteStory, WebsiteUnderTest } from './website-side.js';

const ORIGIN = 'http://site.test';
const ENDPOINT = '/otp-login';

describeWebsiteContract({
  name: 'the website kit (createOtpLoginKit)',
  async open(story: WebsiteStory): Promise<WebsiteUnderTest> {
    const tokenServer = new TokenServerFixture();
    const phone = await tokenServer.enrollDevice('alice');
    const store = new MemoryLoginStore(story === 'busy' ? { maxEntries: 1 } : {});
    const config: OtpLoginKitConfig = {
      tokenServer: {
        url: tokenServer.base,
        clientId: 'demo',
        clientSecret: CLIENT_SECRET,
        fetch:
          story === 'unavailable'
            ? () => Promise.reject(new TypeError('fetch failed'))
            : (request) => tokenServer.fetch(request),
      },
      publicOrigin: story === 'forbidden_origin' ? 'https://www.example.com' : ORIGIN,
      appUrl: 'http://localhost:7003/',
      callbackUri: 'http://127.0.0.1:9/callback',
      store,
      onError: () => undefined,
    };
    const onLogin = () => ({
      redirectTo: '/account',
      cookies: ['session=alice; Path=/; HttpOnly'],
    });
    if (story === 'unauthorized')
      config.secondFactor = { path: ENDPOINT, type: 'second_factor', userId: () => null, onLogin };
    else if (story === 'compare_code' || story === 'reauthentication_required')
      config.enrollment = {
        path: ENDPOINT,
        userId: () => 'alice',
        recentlyAuthenticated: () => story === 'compare_code',
        onEnrolled: onLogin,
      };
    // A type whose accept needs proof of presence.
    else if (story === 'enter_code')
      config.login = { path: ENDPOINT, type: 'otp_presence', onLogin };
    else config.login = { path: ENDPOINT, type: 'otp', onLogin };
    if (story === 'rate_limited')
      config.rateLimits = { statusPerIp: { points: 0, durationSeconds: 60 } };
    const kit = createOtpLoginKit(config);
    const send = (request: Request, ip: string) => kit.fetch(request, { clientIp: ip });
    // Another browser's login fills the store.
    if (story === 'busy') {
      const filler = new Request(`${ORIGIN}${ENDPOINT}`, {
        method: 'POST',
        headers: { Origin: ORIGIN },
      });
      const filled = await send(filler, '192.0.2.1');
      if (filled.status !== 201) throw new Error(`the first login: ${filled.status}`);
    }

    let scanned: Awaited<ReturnType<typeof scan>> | undefined;
    let phoneCode: string | undefined;
    return {
      origin: ORIGIN,
      endpoint: ENDPOINT,
      send,
      async scan(qr) {
        const payload = decodeQrPayload(qr);
        if (payload.kind === 'authentication') {
          scanned = await scan(tokenServer, phone, qr);
          return;
        }
        // A new phone uses the link code, and shows the code the page must compare.
        const linked = await tokenServer.completeEnrollment(await createTestDevice(), payload);
        if (linked.status !== 201) throw new Error(`enroll: ${linked.status}`);
        phoneCode = ((await linked.json()) as { compare_code: string }).compare_code;
      },
      async answer(answer) {
        if (scanned === undefined) throw new Error('the phone has scanned nothing');
        const answered = await scanned.answer(answer);
        const code = answered['presence_code'];
        if (typeof code === 'string') phoneCode = code;
      },
      phoneCode() {
        if (phoneCode === undefined) throw new Error('the phone shows no code');
        return phoneCode;
      },
      async forget(id) {
        await store.take(id);
      },
      timePassed(ms) {
        tokenServer.now += ms;
      },
      close: () => Promise.resolve(),
    };
  },
});
