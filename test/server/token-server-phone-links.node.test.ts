// A phone link that cannot be stolen (issue 15, item 1): the phone that used a linking code
// answers no login until the website's user has seen the same code on the phone and on the
// linking page and said so; a "no" revokes that phone. Against the Token Server's two APIs.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  decodeEnrollmentPayload,
  EnrollmentStatusResponse,
  type EnrollmentPayload,
} from '../../src/protocol/index.js';
import { randomShortCode } from '../../src/protocol/index.js';
import { createTestDevice, type TestDevice } from '../support/test-device.js';
import { BASE, TokenServerFixture } from './token-server-fixture.js';
import * as v from 'valibot';

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const ENROLLMENT_TIME_TO_LIVE_MS = 300_000;
const CONFIRM_TIME_TO_LIVE_MS = 300_000;

let fixture: TokenServerFixture;
beforeEach(() => {
  fixture = new TokenServerFixture();
});
afterEach(async () => {
  await fixture.server.close();
});

/** The link status as the website reads it, checked against the contract's schema. */
async function linkStatus(enrollmentId: string) {
  const { status, body } = await fixture.linkStatus(enrollmentId);
  assert.equal(status, 200, JSON.stringify(body));
  return v.parse(v.strictObject(EnrollmentStatusResponse.entries), body);
}

/** A login that `phone` tries to redeem: the status and body of the answer. */
async function tryToLogIn(phone: TestDevice) {
  const login = await fixture.initialize();
  const redeemed = await fixture.mobile(phone, `/transactions/${login.transaction_id}/redeem`, {
    otp: login.code,
  });
  return { login, redeemed };
}

/** The phone's preview of a linking code, from `phoneIp`, signed by `device`'s key. */
async function preview(device: TestDevice, code: EnrollmentPayload, phoneIp?: string) {
  const request = await device.signedRequest(
    `${BASE}/api/mobile/v1/enrollments/${code.enrollmentId}/preview`,
    { secret: code.secret, public_key: device.publicJwk },
    { anonymous: true, timestamp: fixture.now },
  );
  const headers = new Headers(request.headers);
  if (phoneIp !== undefined) headers.set('x-test-ip', phoneIp);
  const response = await fixture.fetch(new Request(request, { headers }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a phone that used a linking code', () => {
  it('answers no login (link_not_confirmed) until the website confirms the code it shows', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    assert.match(phone.compareCode, /^\d{6}$/);

    const waiting = await linkStatus(phone.enrollmentId);
    assert.equal(waiting.status, 'confirm');
    assert.equal(waiting.compare_code, phone.compareCode, 'the page shows the phone’s code');
    assert.equal(waiting.device_id, phone.deviceId);
    assert.equal(waiting.device_name, 'Test phone');
    assert.equal(waiting.user_id, 'alice');

    const refused = await tryToLogIn(phone);
    assert.equal(refused.redeemed.status, 403);
    assert.deepEqual(
      [refused.redeemed.body.error, refused.redeemed.body.error_code],
      ['device_link_not_confirmed', 10102],
    );
    assert.equal((await fixture.result(refused.login.transaction_id)).body.status, 'pending');
    const listed = await fixture.relyingParty('/users/alice/devices');
    const pending = ((await listed.json()) as { devices: Record<string, unknown>[] }).devices;
    assert.equal(pending[0]?.confirmed_at, null);

    const confirmed = await fixture.confirmLink(phone.enrollmentId, true);
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.status, 'accepted');
    assert.equal(confirmed.body.compare_code, undefined, 'the code is of no use any more');

    const { redeemed } = await tryToLogIn(phone);
    assert.equal(redeemed.status, 200);
    const devices = await fixture.relyingParty('/users/alice/devices');
    const [device] = ((await devices.json()) as { devices: Record<string, unknown>[] }).devices;
    assert.equal(Date.parse(String(device?.confirmed_at)), fixture.now);
  });

  it('is refused on answers too while its link is pending', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    const answered = await fixture.mobile(
      phone,
      '/transactions/3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834/answer',
      { answer: 'accept' },
    );
    assert.equal(answered.status, 403);
    assert.equal(answered.body.error_code, 10102);
  });

  it('is revoked when the website’s user says the codes differ, and the website hears so once', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    const refused = await fixture.confirmLink(phone.enrollmentId, false);
    assert.equal(refused.status, 200);
    assert.equal(refused.body.status, 'denied');
    const { redeemed } = await tryToLogIn(phone);
    assert.equal(redeemed.status, 401);
    assert.equal(redeemed.body.error_code, 9002, 'device_deregistered');

    const again = await fixture.confirmLink(phone.enrollmentId, true);
    assert.equal(again.status, 400);
    assert.match(String(again.body.error_description), /confirmed or refused already/);
    assert.equal((await linkStatus(phone.enrollmentId)).status, 'denied');
    assert.equal((await tryToLogIn(phone)).redeemed.status, 401, 'a later yes undoes nothing');
  });

  it('is confirmed once: a second word, either way, changes nothing', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    assert.equal((await fixture.confirmLink(phone.enrollmentId, true)).status, 200);
    for (const matches of [false, true]) {
      const again = await fixture.confirmLink(phone.enrollmentId, matches);
      assert.equal(again.status, 400, String(matches));
      assert.equal(again.body.error_code, 1003);
    }
    assert.equal((await linkStatus(phone.enrollmentId)).status, 'accepted');
    assert.equal((await tryToLogIn(phone)).redeemed.status, 200);
  });

  it('stays refused when the website does not confirm in time, and the link has expired', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    fixture.now += CONFIRM_TIME_TO_LIVE_MS;
    assert.equal((await linkStatus(phone.enrollmentId)).status, 'expired');
    const late = await fixture.confirmLink(phone.enrollmentId, true);
    assert.equal(late.status, 400);
    assert.match(String(late.body.error_description), /ran out/);
    assert.equal((await tryToLogIn(phone)).redeemed.status, 403);
  });

  it('does not count for a second-factor login until its link is confirmed', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    const start = () =>
      fixture.relyingParty('/authenticate/user', {
        method: 'POST',
        body: new URLSearchParams({
          type: 'second_factor',
          callback_uri: 'http://127.0.0.1:9/callback',
          user_id: 'alice',
        }).toString(),
      });
    const refused = await start();
    assert.equal(refused.status, 404);
    assert.equal(((await refused.json()) as { error_code: number }).error_code, 1001);
    await fixture.confirmLink(phone.enrollmentId, true);
    assert.equal((await start()).status, 200);
  });
});

describe('a linking code the website reads', () => {
  it('is pending until a phone uses it, then expired; there is nothing to confirm before', async () => {
    const code = await fixture.startEnrollment('alice');
    const pending = await linkStatus(code.enrollmentId);
    assert.deepEqual(
      { ...pending, expires_at: Date.parse(pending.expires_at) },
      {
        enrollment_id: code.enrollmentId,
        status: 'pending',
        user_id: 'alice',
        device_id: null,
        device_name: null,
        expires_at: fixture.now + ENROLLMENT_TIME_TO_LIVE_MS,
      },
    );
    const early = await fixture.confirmLink(code.enrollmentId, true);
    assert.equal(early.status, 400);
    assert.match(String(early.body.error_description), /No phone has used this code/);
    fixture.now += ENROLLMENT_TIME_TO_LIVE_MS;
    assert.equal((await linkStatus(code.enrollmentId)).status, 'expired');
  });

  it('reads as unknown to another client, which cannot confirm it either', async () => {
    const phone = await fixture.enrollPendingDevice('alice');
    const read = await fixture.linkStatus(phone.enrollmentId, 'other');
    assert.equal(read.status, 404);
    assert.equal(read.body.error_code, 3004);
    const confirmed = await fixture.confirmLink(phone.enrollmentId, true, 'other');
    assert.equal(confirmed.status, 404);
    assert.equal(confirmed.body.error_code, 3004);
    assert.equal((await linkStatus(phone.enrollmentId)).status, 'confirm');
    assert.equal((await tryToLogIn(phone)).redeemed.status, 403);
  });

  it('refuses an id that is not one, and a confirmation that is not yes or no', async () => {
    const unknown = await fixture.linkStatus('0123456789abcdef0123456789abcdef');
    assert.equal(unknown.status, 404);
    assert.equal((await fixture.linkStatus('not-an-id')).status, 404);
    const phone = await fixture.enrollPendingDevice('alice');
    for (const body of ['matches=yes', 'matches=true&matches=false', '', 'matches=true&x=1']) {
      const response = await fixture.relyingParty(`/enrollments/${phone.enrollmentId}/confirm`, {
        method: 'POST',
        body,
      });
      assert.equal(response.status, 400, body);
    }
    assert.equal((await linkStatus(phone.enrollmentId)).status, 'confirm');
  });
});

describe('the preview the phone shows before it links', () => {
  it('names the account, the site and the browser of the linking page, and changes nothing', async () => {
    const started = await fixture.relyingParty('/enrollments', {
      method: 'POST',
      body: new URLSearchParams({
        user_id: 'alice@example.com',
        display_name: 'Alice Example',
        ip_address: '203.0.113.7',
        user_agent: FIREFOX_ON_LINUX,
      }).toString(),
    });
    assert.equal(started.status, 200);
    const linkCode = decodeEnrollmentPayload(((await started.json()) as { code: string }).code);
    const phone = await createTestDevice();

    const shown = await preview(phone, linkCode, '203.0.113.200');
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.deepEqual(
      { ...shown.body, expires_at: Date.parse(String(shown.body.expires_at)) },
      {
        user_id: 'alice@example.com',
        display_name: 'Alice Example',
        site: 'Demo Bank',
        browser: 'Firefox 128',
        os: 'Linux',
        same_network: true,
        place: null, // this server has no IP database
        expires_at: fixture.now + ENROLLMENT_TIME_TO_LIVE_MS,
      },
    );
    assert.equal((await preview(phone, linkCode, '198.51.100.1')).body.same_network, false);
    assert.equal((await linkStatus(linkCode.enrollmentId)).status, 'pending');
    const linked = await fixture.completeEnrollment(phone, linkCode);
    assert.equal(linked.status, 201, 'the code still links the phone');
  });

  it('is refused for a wrong secret, a used code or one that expired, as the link would be', async () => {
    const phone = await createTestDevice();
    const code = await fixture.startEnrollment('alice');
    const wrong = await preview(phone, { ...code, secret: '0'.repeat(32) });
    assert.deepEqual([wrong.status, wrong.body.error_code], [404, 10013]);
    assert.equal((await fixture.completeEnrollment(phone, code)).status, 201);
    const used = await preview(await createTestDevice(), code);
    assert.deepEqual([used.status, used.body.error_code], [409, 9016]);
    const later = await fixture.startEnrollment('alice');
    fixture.now += ENROLLMENT_TIME_TO_LIVE_MS;
    const expired = await preview(phone, later);
    assert.deepEqual([expired.status, expired.body.error_code], [410, 10100]);
  });

  it('refuses a start whose browser address or user agent is not one', async () => {
    const bad: Record<string, string>[] = [
      { ip_address: '999.1.1.1' },
      { user_agent: 'x'.repeat(513) },
    ];
    for (const fields of bad) {
      const response = await fixture.relyingParty('/enrollments', {
        method: 'POST',
        body: new URLSearchParams({ user_id: 'alice', ...fields }).toString(),
      });
      assert.equal(response.status, 400, JSON.stringify(fields));
    }
  });
});

describe('the code the phone and the linking page compare', () => {
  it('is six digits from the whole range, leading zeros kept', () => {
    const codes = Array.from({ length: 5_000 }, () => randomShortCode());
    for (const code of codes) assert.match(code, /^\d{6}$/);
    // Uniform over a million: 5,000 draws repeat a handful of codes at most.
    assert.ok(new Set(codes).size > 4_950);
    // A tenth of them start with 0: a code kept as a number would have lost its leading zeros.
    const leadingZero = codes.filter((code) => code.startsWith('0')).length;
    assert.ok(leadingZero > 350 && leadingZero < 650, String(leadingZero));
  });
});
