// A login that resists relays (issue 15, item 2): proof of presence (after Accept the phone shows
// a code that the browser that started the login must type), and what you see is what you sign
// (the answer signs a digest of the details the phone showed). Against the Token Server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  PRESENCE_TRIES,
  shownDigest,
  type MobileRedeemResponse,
} from '../../src/protocol/index.js';
import type { IpLocator } from '../../src/server/token-server/ip-location/ip-locator.js';
import { PRESENCE_CALLS_PER_TRANSACTION } from '../../src/server/token-server/routes/relying-party.js';
import type { TestDevice } from '../support/test-device.js';
import { nothingHappensFor, until } from '../support/until.js';
import { BASE, testConfig, TokenServerFixture } from './token-server-fixture.js';

const BROWSER_IP = '203.0.113.7';
const PRESENCE_TIME_TO_LIVE_MS = 120_000;

let fixture: TokenServerFixture;
let phone: TestDevice;
beforeEach(async () => {
  fixture = new TokenServerFixture();
  phone = await fixture.enrollDevice('alice');
});
afterEach(async () => {
  await fixture.server.close();
});

/** A signed call of the phone from `phoneIp`. */
async function fromPhone(path: string, body: unknown, phoneIp?: string) {
  const request = await phone.signedRequest(`${BASE}/api/mobile/v1${path}`, body, {
    timestamp: fixture.now,
  });
  const headers = new Headers(request.headers);
  if (phoneIp !== undefined) headers.set('x-test-ip', phoneIp);
  const response = await fixture.fetch(new Request(request, { headers }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A login of `type` from the browser at BROWSER_IP, redeemed by the phone at `phoneIp`. */
async function scanned(type: string, phoneIp?: string) {
  const login = await fixture.initialize({ type, ip_address: BROWSER_IP });
  const redeemed = await fromPhone(
    `/transactions/${login.transaction_id}/redeem`,
    { otp: login.code },
    phoneIp,
  );
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  const details = redeemed.body as unknown as MobileRedeemResponse;
  const id = login.transaction_id;
  return {
    id,
    otp: login.code,
    details,
    answer: async (answer: 'accept' | 'deny', shown?: string) =>
      fromPhone(
        `/transactions/${id}/answer`,
        { answer, shown: shown ?? (await shownDigest(details)) },
        phoneIp,
      ),
  };
}

/** A login of a type that always asks for proof of presence, accepted on the phone. */
async function awaitingCode() {
  const login = await scanned('otp_presence');
  const answered = await login.answer('accept');
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  return { ...login, code: String(answered.body.presence_code) };
}

/** Another code than `code`. */
function wrongCodeFor(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describe('a login of a type that asks for proof of presence', () => {
  it('tells the phone, gives it a code on Accept, and counts once the browser types it', async () => {
    const login = await scanned('otp_presence');
    assert.equal(login.details.presence_required, true);
    const answered = await login.answer('accept');
    assert.equal(answered.body.status, 'accepted');
    assert.match(String(answered.body.presence_code), /^\d{6}$/);

    const waiting = await fixture.result(login.id);
    assert.equal(waiting.body.status, 'confirm');
    assert.equal(waiting.body.is_authenticated, false, 'not before the browser typed the code');
    assert.equal(waiting.body.presence_tries_left, PRESENCE_TRIES);
    assert.equal(waiting.body.user_id, 'alice');

    const typed = await fixture.typePresenceCode(login.id, String(answered.body.presence_code));
    assert.equal(typed.status, 200);
    assert.equal(typed.body.status, 'accepted');
    assert.equal(typed.body.is_authenticated, true);
    assert.equal(typed.body.user_id, 'alice');
    assert.equal(typed.body.presence_tries_left, undefined);
    assert.equal((await fixture.result(login.id)).body.status, 'accepted');
  });

  it('gives no code for a deny', async () => {
    const login = await scanned('otp_presence');
    const answered = await login.answer('deny');
    assert.deepEqual(answered.body, { status: 'denied' });
    assert.equal((await fixture.result(login.id)).body.status, 'denied');
  });

  it('counts down the tries for wrong codes, and ends the login after the last', async () => {
    const login = await awaitingCode();
    const wrong = wrongCodeFor(login.code);
    for (let left = PRESENCE_TRIES - 1; left > 0; left -= 1) {
      const typed = await fixture.typePresenceCode(login.id, wrong);
      assert.equal(typed.status, 200);
      assert.equal(typed.body.status, 'confirm');
      assert.equal(typed.body.presence_tries_left, left);
      assert.equal(typed.body.is_authenticated, false);
    }
    const last = await fixture.typePresenceCode(login.id, wrong);
    assert.equal(last.body.status, 'denied');
    assert.deepEqual(last.body.not_authenticated_reason, {
      reason: 'presence_failed',
      description: 'The browser typed a wrong code from the phone too often.',
    });
    const tooLate = await fixture.typePresenceCode(login.id, login.code);
    assert.equal(tooLate.status, 400, 'the right code no longer counts');
    assert.equal((await fixture.result(login.id)).body.status, 'denied');
  });

  it('accepts the right code once, however many calls race with it', async () => {
    const login = await awaitingCode();
    const typed = await Promise.all(
      Array.from({ length: 5 }, () => fixture.typePresenceCode(login.id, login.code)),
    );
    const accepted = typed.filter((answer) => answer.status === 200);
    assert.equal(accepted.length, 1, JSON.stringify(typed));
    assert.equal(accepted[0]?.body.status, 'accepted');
    for (const other of typed.filter((answer) => answer.status !== 200)) {
      assert.equal(other.status, 400);
      assert.match(String(other.body.error_description), /outcome already/);
    }
  });

  it('ends when the browser does not type the code in time', async () => {
    const login = await awaitingCode();
    fixture.now += PRESENCE_TIME_TO_LIVE_MS;
    assert.equal((await fixture.result(login.id)).body.status, 'expired');
    const late = await fixture.typePresenceCode(login.id, login.code);
    assert.equal(late.status, 400);
    assert.match(String(late.body.error_description), /ran out/);
  });

  it('gives the phone time to be accepted after the QR’s own time would have run out', async () => {
    const login = await awaitingCode();
    fixture.now += 60_000; // the login type's time to live
    assert.equal((await fixture.result(login.id)).body.status, 'confirm');
    assert.equal((await fixture.typePresenceCode(login.id, login.code)).body.status, 'accepted');
  });

  it('does not take a code before the phone accepted, nor a code that is not six digits', async () => {
    const login = await scanned('otp_presence');
    const early = await fixture.typePresenceCode(login.id, '123456');
    assert.equal(early.status, 400);
    assert.match(String(early.body.error_description), /not waiting for a code/);
    const accepted = await login.answer('accept');
    const code = String(accepted.body.presence_code);
    for (const bad of ['12345', '1234567', 'abcdef', ' 123456', '', '１２３４５６']) {
      const typed = await fixture.typePresenceCode(login.id, bad);
      assert.equal(typed.status, 400, JSON.stringify(bad));
      assert.equal(typed.body.error_code, 1003);
    }
    const repeated = await fixture.relyingParty(`/authenticate/transaction/${login.id}/presence`, {
      method: 'POST',
      body: `code=${wrongCodeFor(code)}&code=${code}`,
    });
    assert.equal(repeated.status, 400);
    const unchanged = await fixture.result(login.id);
    assert.equal(unchanged.body.presence_tries_left, PRESENCE_TRIES, 'no try was used up');
    assert.equal((await fixture.typePresenceCode(login.id, code)).body.status, 'accepted');
  });

  it("keeps one client's login from another client", async () => {
    const login = await awaitingCode();
    const response = await fixture.relyingParty(`/authenticate/transaction/${login.id}/presence`, {
      method: 'POST',
      body: new URLSearchParams({ code: login.code }).toString(),
      clientId: 'other',
      secret: 'other-secret-that-is-long-enough-0123456789',
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error_code: number }).error_code, 3004);
    assert.equal((await fixture.result(login.id)).body.status, 'confirm');
  });

  it('bounds the calls for one login, beyond its tries, and serves other logins', async () => {
    const login = await scanned('otp_presence');
    const statuses: number[] = [];
    for (let call = 0; call <= PRESENCE_CALLS_PER_TRANSACTION; call += 1) {
      statuses.push((await fixture.typePresenceCode(login.id, '000000')).status);
    }
    assert.deepEqual(statuses, [...Array<number>(PRESENCE_CALLS_PER_TRANSACTION).fill(400), 429]);
    const other = await awaitingCode();
    assert.equal((await fixture.typePresenceCode(other.id, other.code)).body.status, 'accepted');
  });
});

describe('unless the browser and the phone share a network', () => {
  it('asks for no code on one connection, and for one when they differ or it is not known', async () => {
    const local = await scanned('otp_local', BROWSER_IP);
    assert.equal(local.details.same_network, true);
    assert.equal(local.details.presence_required, false);
    assert.deepEqual((await local.answer('accept')).body, { status: 'accepted' });
    assert.equal((await fixture.result(local.id)).body.status, 'accepted');

    // The same /24 but another address (a carrier's NAT pool, a rented proxy) is no household.
    for (const phoneIp of ['203.0.113.200', '198.51.100.7', '2001:db8::7', undefined]) {
      const relayed = await scanned('otp_local', phoneIp);
      assert.equal(relayed.details.presence_required, true, String(phoneIp));
      const answered = await relayed.answer('accept');
      assert.match(String(answered.body.presence_code), /^\d{6}$/, String(phoneIp));
      assert.equal((await fixture.result(relayed.id)).body.status, 'confirm');
    }
  });

  it('asks for the code when the phone answers from another network than it redeemed on', async () => {
    const login = await scanned('otp_local', BROWSER_IP);
    assert.equal(login.details.presence_required, false);
    const moved = await fromPhone(
      `/transactions/${login.id}/answer`,
      { answer: 'accept', shown: await shownDigest(login.details) },
      '198.51.100.7',
    );
    assert.equal(moved.status, 200);
    assert.match(String(moved.body.presence_code), /^\d{6}$/);
  });

  it('gives a phone that redeems again from another network the details it was first sent', async () => {
    const login = await scanned('otp_local', BROWSER_IP);
    const repeat = await fromPhone(
      `/transactions/${login.id}/redeem`,
      { otp: login.otp },
      '198.51.100.7',
    );
    assert.deepEqual(repeat.body, login.details, 'what it signs is what it was sent');
    const answered = await login.answer('accept');
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
  });

  it('never asks, for a type that does not say (Onegini’s behaviour)', async () => {
    const login = await scanned('otp', '198.51.100.7');
    assert.equal(login.details.presence_required, false);
    assert.deepEqual((await login.answer('accept')).body, { status: 'accepted' });
  });
});

describe('what the phone signs', () => {
  it('refuses an answer to other details than the phone was sent, and records nothing', async () => {
    const login = await scanned('otp');
    const other = await shownDigest({ ...login.details, message: 'Send 10,000 EUR to Mallory' });
    const refused = await login.answer('accept', other);
    assert.equal(refused.status, 400);
    assert.deepEqual(
      [refused.body.error, refused.body.error_code],
      ['shown_details_changed', 10103],
    );
    assert.equal((await fixture.result(login.id)).body.status, 'scanned');
    assert.equal((await login.answer('accept')).body.status, 'accepted');
  });

  it('refuses an answer that hides the relay warning, or the code the browser must type', async () => {
    const login = await scanned('otp_presence', '198.51.100.7');
    for (const changed of [
      { ...login.details, same_network: true },
      { ...login.details, presence_required: false },
    ]) {
      const refused = await login.answer('accept', await shownDigest(changed));
      assert.equal(refused.status, 400);
    }
    assert.equal((await fixture.result(login.id)).body.status, 'scanned');
  });

  it('gives a phone that redeems again the same details, number-matching choices included', async () => {
    const login = await fixture.initialize({ type: 'otp_match', ip_address: BROWSER_IP });
    const path = `/transactions/${login.transaction_id}/redeem`;
    const first = await fromPhone(path, { otp: login.code }, '198.51.100.7');
    const again = await fromPhone(path, { otp: login.code }, '198.51.100.7');
    assert.deepEqual(again.body, first.body);
    const answered = await fromPhone(
      `/transactions/${login.transaction_id}/answer`,
      {
        answer: 'accept',
        number: login.number_match_code,
        shown: await shownDigest(again.body as unknown as MobileRedeemResponse),
      },
      '198.51.100.7',
    );
    assert.equal(answered.body.status, 'accepted');
  });

  it('offers choices that differ from login to login', async () => {
    const orders = new Set<string>();
    for (let login = 0; login < 12; login += 1) {
      const started = await fixture.initialize({ type: 'otp_match' });
      const redeemed = await fromPhone(`/transactions/${started.transaction_id}/redeem`, {
        otp: started.code,
      });
      const choices = redeemed.body.number_match_choices as string[];
      assert.ok(choices.includes(String(started.number_match_code)));
      orders.add(String(choices.indexOf(String(started.number_match_code))));
    }
    assert.ok(orders.size > 1, 'the right number is not always in one place');
  });
});

describe('the place of the browser, from the IP database', () => {
  const places: Record<string, ReturnType<IpLocator['locate']>> = {
    [BROWSER_IP]: {
      city: 'Amsterdam',
      country: 'NL',
      latitude: 52.37,
      longitude: 4.89,
      operator: 'KPN B.V.',
    },
    '198.51.100.7': {
      city: 'Rotterdam',
      country: 'NL',
      latitude: 51.92,
      longitude: 4.48,
      operator: 'Odido',
    },
  };
  const locator: IpLocator = {
    locate: (ip) => places[ip] ?? null,
    attribution: 'IP geolocation by DB-IP (db-ip.com)',
  };

  beforeEach(async () => {
    await fixture.server.close();
    fixture = new TokenServerFixture(undefined, {}, undefined, locator);
    phone = await fixture.enrollDevice('alice');
  });

  it('is shown to the phone, with its distance from the phone, and signed with the rest', async () => {
    const login = await scanned('otp', '198.51.100.7');
    assert.deepEqual(login.details.place, {
      city: 'Amsterdam',
      country: 'NL',
      operator: 'KPN B.V.',
      distance_km: 57,
      credit: 'IP geolocation by DB-IP (db-ip.com)',
    });
    const hidden = await login.answer(
      'accept',
      await shownDigest({ ...login.details, place: null }),
    );
    assert.equal(hidden.status, 400, 'a phone that hid the place signed other details');
    assert.equal((await login.answer('accept')).body.status, 'accepted');
  });

  it('has no distance when the phone’s place is not known', async () => {
    const login = await scanned('otp', '192.0.2.1');
    assert.equal(login.details.place?.city, 'Amsterdam');
    assert.equal(login.details.place.distance_km, null);
  });
});

describe('a Token Server without an IP database', () => {
  it('shows the phone no place', async () => {
    const login = await scanned('otp', '198.51.100.7');
    assert.equal(login.details.place, null);
  });
});

describe('the website waiting for a login that awaits its code', () => {
  it("wakes a long-poll on 'scanned' with 'confirm', and one on 'confirm' with the outcome", async () => {
    const login = await scanned('otp_presence');
    const woken = fixture.result(login.id, '?wait=20&status=scanned');
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the wait');
    const answered = await login.answer('accept');
    assert.equal((await woken).body.status, 'confirm');

    const held = fixture.result(login.id, '?wait=20&status=confirm');
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the second wait');
    await fixture.typePresenceCode(login.id, String(answered.body.presence_code));
    assert.equal((await held).body.status, 'accepted');
  });

  it("answers a batched wait with 'confirm' and the tries left, and waits on 'confirm'", async () => {
    const login = await scanned('otp_presence');
    const wait = (status: string) =>
      fixture.relyingParty('/authenticate/transactions/wait', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ wait: 20, transactions: { [login.id]: status } }),
      });
    const batched = wait('scanned');
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the batched wait');
    const answered = await login.answer('accept');
    const first = (await (await batched).json()) as {
      transactions: Record<string, unknown>[];
    };
    assert.equal(first.transactions[0]?.status, 'confirm');
    assert.equal(first.transactions[0].presence_tries_left, PRESENCE_TRIES);

    let settled = false;
    const onConfirm = wait('confirm').finally(() => {
      settled = true;
    });
    await until(() => fixture.server.waiter.size === 1, 'the server to hold the second wait');
    const code = String(answered.body.presence_code);
    await fixture.typePresenceCode(login.id, wrongCodeFor(code));
    await nothingHappensFor(100);
    assert.equal(settled, false, 'a wrong code leaves it confirm: the wait is still held');
    await fixture.typePresenceCode(login.id, code);
    const second = (await (await onConfirm).json()) as { transactions: Record<string, unknown>[] };
    assert.equal(second.transactions[0]?.status, 'accepted');
  });
});

describe("Onegini's callback for a login that awaits its code", () => {
  it('is sent on the accept, and again for each code the browser types', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push((JSON.parse(body) as { transaction_id: string }).transaction_id);
        response.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const callbackUri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
    await fixture.server.close();
    fixture = new TokenServerFixture(undefined, {
      clients: testConfig().clients.map((client) => ({ ...client, callbackUris: [callbackUri] })),
    });
    try {
      phone = await fixture.enrollDevice('alice');
      const login = await fixture.initialize({ type: 'otp_presence', callback_uri: callbackUri });
      const redeemed = await fromPhone(`/transactions/${login.transaction_id}/redeem`, {
        otp: login.code,
      });
      const answered = await fromPhone(`/transactions/${login.transaction_id}/answer`, {
        answer: 'accept',
        shown: await shownDigest(redeemed.body as unknown as MobileRedeemResponse),
      });
      await until(() => received.length === 1, 'the callback of the accept');
      const code = String(answered.body.presence_code);
      await fixture.typePresenceCode(login.transaction_id, wrongCodeFor(code));
      await until(() => received.length === 2, 'the callback of the wrong code');
      await fixture.typePresenceCode(login.transaction_id, code);
      await until(() => received.length === 3, 'the callback of the right code');
      await fixture.typePresenceCode(login.transaction_id, code); // refused: changes nothing
      await nothingHappensFor(100);
      assert.deepEqual(received, Array<string>(3).fill(login.transaction_id));
    } finally {
      receiver.close();
    }
  });
});
