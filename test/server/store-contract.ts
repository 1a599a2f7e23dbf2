/*
 * The contract every Store adapter keeps. Each adapter's test file calls describeStoreContract
 * with a way to make a fresh store; the same tests run against every adapter.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { randomId128, sha256Hex } from '../../src/server/security/hashing.js';
import {
  isActiveDevice,
  newTransactionRecord,
  type DevicePasskey,
  type DeviceRecord,
  type EnrollmentRecord,
  type TransactionRecord,
} from '../../src/server/store/records.js';
import { StoreError, type StoreErrorCode } from '../../src/server/store/store-error.js';
import type { Store } from '../../src/server/store/store.js';
import { nothingHappensFor, until } from '../support/until.js';

/** What a store keeps as text: a kind of record, by its key (a device by its id). */
export type StoredKind = 'transaction' | 'enrollment' | 'device';

export interface StoreFactory {
  /** A fresh, empty store. */
  create(): Promise<Store>;
  /** Another handle on the same data (another connection or instance), for races. */
  second?(): Promise<Store>;
  /**
   * For a store that keeps records as text: overwrites the stored text of the record of `kind`
   * under `key` (the latest store made), as another program or a damaged disk could.
   */
  readonly overwrite?: (kind: StoredKind, key: string, text: string) => Promise<void>;
}

const NOW = 1_800_000_000_000;

/** shownDigest() of what a redemption sent the phone (any SHA-256 will do for a store). */
export const SHOWN_DIGEST = sha256Hex('Log in to Demo · Firefox on Linux · Amsterdam, NL');
/** The code a phone shows after Accept, which the browser must type (proof of presence). */
const PRESENCE_CODE = '482913';
const PRESENCE_TRIES = 3;
/** The browser's time to type the code, later than the QR's time to be scanned. */
const PRESENCE_DEADLINE = NOW + 180_000;
/** The code that the phone and the linking page both show. */
const COMPARE_CODE = '305718';
/** The end of the wait for the website's word on a used enrollment code. */
const CONFIRM_BY = NOW + 600_000;

export function transactionFixture(overrides: Partial<TransactionRecord> = {}): {
  record: TransactionRecord;
  otp: string;
} {
  const otp = randomId128();
  const record: TransactionRecord = {
    ...newTransactionRecord({
      key: sha256Hex(randomId128()),
      otpHash: sha256Hex(otp),
      clientId: 'demo-website',
      type: 'otp',
      message: 'Log in to Demo',
      callbackUri: 'http://127.0.0.1:9/callback',
      requester: { ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0', languageCode: 'en' },
      requiredUserId: null,
      numberMatchCode: null,
      createdAt: NOW,
      expiresAt: NOW + 60_000,
    }),
    ...overrides,
  };
  return { record, otp };
}

export function deviceFixture(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    id: randomId128(),
    clientId: 'demo-website',
    userId: 'alice',
    name: 'Pixel',
    publicKeyJwk: '{"kty":"EC","crv":"P-256","x":"x","y":"y"}',
    createdAt: NOW,
    revokedAt: null,
    ...overrides,
  };
}

/** A phone's passkey as the Token Server keeps it once its registration verified. */
export function passkeyFixture(overrides: Partial<DevicePasskey> = {}): DevicePasskey {
  return {
    credentialId: 'Y3JlZGVudGlhbC0x',
    publicKey: 'pQECAyYgASFYIKZ4',
    counter: 0,
    transports: ['internal'],
    registeredAt: NOW + 5,
    ...overrides,
  };
}

export function enrollmentFixture(): { record: EnrollmentRecord; secret: string } {
  const secret = randomId128();
  return {
    secret,
    record: {
      key: sha256Hex(randomId128()),
      secretHash: sha256Hex(secret),
      clientId: 'demo-website',
      userId: 'alice',
      createdAt: NOW,
      expiresAt: NOW + 300_000,
      deviceId: null,
      version: 1,
    },
  };
}

/**
 * Links `device` through an enrollment of its own; returns that enrollment as it was inserted.
 * The device is stored as given: one without `confirmedAt` is a link from before confirmation,
 * which counts as confirmed; pass `confirmedAt: null` for a link that awaits the website's word.
 */
export async function enroll(store: Store, device: DeviceRecord): Promise<EnrollmentRecord> {
  const { record, secret } = enrollmentFixture();
  await store.insertEnrollment(record);
  const linked = await store.redeemEnrollment(record.key, {
    secretHash: sha256Hex(secret),
    device,
    now: NOW,
    compareCode: COMPARE_CODE,
    confirmBy: CONFIRM_BY,
  });
  assert.ok(linked.ok);
  return record;
}

/** A login that the phone redeemed (device `d`, user `u`), as it is stored then. */
function redeemedFixture(): TransactionRecord {
  return transactionFixture({
    state: 'redeemed',
    version: 2,
    deviceId: 'd',
    userId: 'u',
    redeemedAt: NOW + 1,
    shownDigest: SHOWN_DIGEST,
  }).record;
}

/** Accepts `record` (from redeemedFixture) with proof of presence; returns what was stored. */
async function acceptAwaitingPresence(
  store: Store,
  record: TransactionRecord,
): Promise<TransactionRecord> {
  const accepted = await store.answerTransaction(record.key, {
    deviceId: 'd',
    accepted: true,
    now: NOW + 2,
    presence: {
      codeHash: sha256Hex(PRESENCE_CODE),
      tries: PRESENCE_TRIES,
      expiresAt: PRESENCE_DEADLINE,
    },
  });
  assert.ok(accepted.ok);
  return accepted.record;
}

/** The browser types `code` at `now`. */
function typeCode(store: Store, key: string, code: string, now = NOW + 3) {
  return store.provePresence(key, { codeHash: sha256Hex(code), now });
}

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`the ${name} store`, () => {
    let store: Store;
    const extraStores: Store[] = [];

    beforeEach(async () => {
      store = await factory.create();
    });

    afterEach(async () => {
      for (const extra of extraStores.splice(0)) await extra.close();
      await store.close();
    });

    describe('transactions', () => {
      it('stores a transaction and reads it back', async () => {
        const { record } = transactionFixture();
        await store.insertTransaction(record);
        assert.deepEqual(await store.getTransaction(record.key), record);
        assert.equal(await store.getTransaction(sha256Hex('unknown')), undefined);
      });

      it('reads many transactions at once, in the order asked, with gaps for unknown keys', async () => {
        const first = transactionFixture().record;
        const second = transactionFixture().record;
        await store.insertTransaction(first);
        await store.insertTransaction(second);
        const unknown = sha256Hex('unknown');
        assert.deepEqual(await store.getTransactions([second.key, unknown, first.key]), [
          second,
          undefined,
          first,
        ]);
        assert.deepEqual(await store.getTransactions([]), []);
      });

      it('refuses a second transaction with the same key, as `duplicate`', async () => {
        const { record } = transactionFixture();
        await store.insertTransaction(record);
        await assert.rejects(
          store.insertTransaction({ ...record, message: 'another' }),
          isStoreError('duplicate'),
        );
        assert.deepEqual(await store.getTransaction(record.key), record);
      });

      it('redeems once, with the right OTP, and tells the listeners', async () => {
        const { record, otp } = transactionFixture();
        await store.insertTransaction(record);
        const changed: string[] = [];
        const stop = store.onTransactionChange((key) => changed.push(key));

        const first = await store.redeemTransaction(record.key, {
          otpHash: sha256Hex(otp),
          deviceId: 'device-1',
          userId: 'alice',
          now: NOW + 1,
          shownDigest: SHOWN_DIGEST,
        });
        const second = await store.redeemTransaction(record.key, {
          otpHash: sha256Hex(otp),
          deviceId: 'device-2',
          userId: 'bob',
          now: NOW + 2,
          shownDigest: SHOWN_DIGEST,
        });

        assert.ok(first.ok);
        assert.equal(first.record.state, 'redeemed');
        assert.equal(first.record.deviceId, 'device-1');
        assert.equal(first.record.version, record.version + 1);
        assert.deepEqual(second, { ok: false, reason: 'already_handled' });
        await until(() => changed.length === 1, 'the change announced');
        stop();
        assert.deepEqual(changed, [record.key]);
        assert.equal((await store.getTransaction(record.key))?.userId, 'alice');
      });

      it('gives the phone that redeemed the same record again, unchanged and unannounced', async () => {
        const { record, otp } = transactionFixture();
        await store.insertTransaction(record);
        const redeemAs = (deviceId: string, now: number, shownDigest = SHOWN_DIGEST) =>
          store.redeemTransaction(record.key, {
            otpHash: sha256Hex(otp),
            deviceId,
            userId: 'alice',
            now,
            shownDigest,
          });
        const first = await redeemAs('device-1', NOW + 1);
        assert.ok(first.ok);
        assert.equal(first.record.shownDigest, SHOWN_DIGEST, 'what the phone was sent is kept');
        const changed: string[] = [];
        const stop = store.onTransactionChange((key) => changed.push(key));

        // Its first response was lost: the same phone asks again. It gets the record that the
        // first redemption wrote, digest included, whatever the details would be now.
        const again = await redeemAs('device-1', NOW + 2, sha256Hex('details looked up again'));
        const otherPhone = await redeemAs('device-2', NOW + 3);
        const tooLate = await redeemAs('device-1', record.expiresAt);

        assert.ok(again.ok);
        assert.deepEqual(again.record, first.record);
        assert.deepEqual(otherPhone, { ok: false, reason: 'already_handled' });
        assert.deepEqual(tooLate, { ok: false, reason: 'expired' });
        assert.deepEqual(await store.getTransaction(record.key), first.record);
        // Nothing changed, so nobody was woken (a change here would arrive within milliseconds).
        await nothingHappensFor(100);
        stop();
        assert.deepEqual(changed, []);

        // Once answered, a redemption is refused even to that phone.
        await store.answerTransaction(record.key, {
          deviceId: 'device-1',
          accepted: true,
          now: NOW + 4,
        });
        assert.deepEqual(await redeemAs('device-1', NOW + 5), {
          ok: false,
          reason: 'already_handled',
        });
      });

      it('lets only the named user redeem a second-factor transaction', async () => {
        const { record, otp } = transactionFixture({ requiredUserId: 'alice' });
        await store.insertTransaction(record);
        const change = {
          otpHash: sha256Hex(otp),
          deviceId: 'd',
          now: NOW + 1,
          shownDigest: SHOWN_DIGEST,
        };
        assert.deepEqual(await store.redeemTransaction(record.key, { ...change, userId: 'bob' }), {
          ok: false,
          reason: 'wrong_user',
        });
        assert.ok((await store.redeemTransaction(record.key, { ...change, userId: 'alice' })).ok);
      });

      it('treats a wrong OTP like an unknown transaction', async () => {
        const { record } = transactionFixture();
        await store.insertTransaction(record);
        const change = {
          otpHash: sha256Hex('guess'),
          deviceId: 'd',
          userId: 'u',
          now: NOW,
          shownDigest: SHOWN_DIGEST,
        };
        assert.deepEqual(await store.redeemTransaction(record.key, change), {
          ok: false,
          reason: 'not_found',
        });
        assert.deepEqual(await store.redeemTransaction(sha256Hex('nope'), change), {
          ok: false,
          reason: 'not_found',
        });
        assert.equal((await store.getTransaction(record.key))?.state, 'created');
      });

      it('refuses to redeem or answer after expiry', async () => {
        const { record, otp } = transactionFixture();
        await store.insertTransaction(record);
        const late = record.expiresAt;
        assert.deepEqual(
          await store.redeemTransaction(record.key, {
            otpHash: sha256Hex(otp),
            deviceId: 'd',
            userId: 'u',
            now: late,
            shownDigest: SHOWN_DIGEST,
          }),
          { ok: false, reason: 'expired' },
        );

        const redeemed = transactionFixture({ state: 'redeemed', deviceId: 'd', userId: 'u' });
        await store.insertTransaction(redeemed.record);
        assert.deepEqual(
          await store.answerTransaction(redeemed.record.key, {
            deviceId: 'd',
            accepted: true,
            now: late,
          }),
          { ok: false, reason: 'expired' },
        );
      });

      it('takes one answer, from the device that redeemed, after the redemption', async () => {
        const { record, otp } = transactionFixture();
        await store.insertTransaction(record);
        const answer = { deviceId: 'device-1', accepted: true, now: NOW + 5 };

        assert.deepEqual(await store.answerTransaction(record.key, answer), {
          ok: false,
          reason: 'not_in_progress',
        });
        await store.redeemTransaction(record.key, {
          otpHash: sha256Hex(otp),
          deviceId: 'device-1',
          userId: 'alice',
          now: NOW + 1,
          shownDigest: SHOWN_DIGEST,
        });
        assert.deepEqual(
          await store.answerTransaction(record.key, { ...answer, deviceId: 'device-2' }),
          { ok: false, reason: 'wrong_device' },
        );
        const accepted = await store.answerTransaction(record.key, answer);
        assert.ok(accepted.ok);
        assert.equal(accepted.record.state, 'accepted');
        assert.equal(accepted.record.answeredAt, NOW + 5);
        assert.deepEqual(
          await store.answerTransaction(record.key, { ...answer, accepted: false }),
          { ok: false, reason: 'already_handled' },
        );
        assert.deepEqual(await store.answerTransaction(sha256Hex('nope'), answer), {
          ok: false,
          reason: 'not_found',
        });
      });

      it('lets exactly one of 1,000 concurrent accept/deny pairs win', async () => {
        const { record } = transactionFixture({ state: 'redeemed', deviceId: 'd', userId: 'u' });
        await store.insertTransaction(record);
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        const answers = Array.from({ length: 1_000 }, (_, index) => [
          (index % 2 === 0 ? store : other).answerTransaction(record.key, {
            deviceId: 'd',
            accepted: true,
            now: NOW + 1,
          }),
          (index % 2 === 0 ? other : store).answerTransaction(record.key, {
            deviceId: 'd',
            accepted: false,
            now: NOW + 1,
          }),
        ]).flat();
        const results = await Promise.all(answers);

        const winners = results.filter((result) => result.ok);
        assert.equal(winners.length, 1);
        assert.ok(
          results.every((result) => result.ok || result.reason === 'already_handled'),
          'every loser is told the request was already handled',
        );
        const final = await store.getTransaction(record.key);
        assert.equal(final?.state, winners[0]?.ok ? winners[0].record.state : undefined);
        assert.equal(final?.version, record.version + 1);
      });

      it('refuses a shown digest that is not a SHA-256 digest, and changes nothing', async () => {
        const { record, otp } = transactionFixture();
        await store.insertTransaction(record);
        for (const shownDigest of [
          '',
          'not hex',
          SHOWN_DIGEST.toUpperCase(),
          `${SHOWN_DIGEST}00`,
        ]) {
          await assert.rejects(
            store.redeemTransaction(record.key, {
              otpHash: sha256Hex(otp),
              deviceId: 'device-1',
              userId: 'alice',
              now: NOW + 1,
              shownDigest,
            }),
            TypeError,
            shownDigest,
          );
        }
        assert.deepEqual(await store.getTransaction(record.key), record);
      });
    });

    describe('proof of presence', () => {
      it('holds an accept that needs the code, with the browser’s own time to type it', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const changed: string[] = [];
        const stop = store.onTransactionChange((key) => changed.push(key));

        const awaiting = await acceptAwaitingPresence(store, record);

        assert.deepEqual(awaiting, {
          ...record,
          state: 'awaiting_presence',
          answeredAt: NOW + 2,
          presenceCodeHash: sha256Hex(PRESENCE_CODE),
          presenceTriesLeft: PRESENCE_TRIES,
          expiresAt: PRESENCE_DEADLINE,
          version: record.version + 1,
        });
        assert.deepEqual(await store.getTransaction(record.key), awaiting);
        await until(() => changed.length === 1, 'the change announced');
        stop();
        // The phone has answered: neither a deny nor another accept changes it now.
        for (const accepted of [false, true]) {
          assert.deepEqual(
            await store.answerTransaction(record.key, { deviceId: 'd', accepted, now: NOW + 3 }),
            { ok: false, reason: 'already_handled' },
          );
        }
        assert.deepEqual(await store.getTransaction(record.key), awaiting);
      });

      it('denies as before when the phone denies, whatever presence would have needed', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const denied = await store.answerTransaction(record.key, {
          deviceId: 'd',
          accepted: false,
          now: NOW + 2,
          presence: { codeHash: sha256Hex(PRESENCE_CODE), tries: 3, expiresAt: PRESENCE_DEADLINE },
        });
        assert.ok(denied.ok);
        assert.equal(denied.record.state, 'denied');
        assert.equal(denied.record.deniedReason, 'not_accepted');
        assert.equal(denied.record.presenceCodeHash, null);
        assert.equal(denied.record.expiresAt, record.expiresAt);
      });

      it('accepts the right code once, forgets it, and tells the listeners', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const awaiting = await acceptAwaitingPresence(store, record);
        const changed: string[] = [];
        const stop = store.onTransactionChange((key) => changed.push(key));

        const proved = await typeCode(store, record.key, PRESENCE_CODE);

        assert.ok(proved.ok);
        assert.deepEqual(proved.record, {
          ...awaiting,
          state: 'accepted',
          presenceCodeHash: null,
          presenceTriesLeft: null,
          version: awaiting.version + 1,
        });
        assert.deepEqual(await store.getTransaction(record.key), proved.record);
        await until(() => changed.length === 1, 'the change announced');
        stop();
        assert.deepEqual(await typeCode(store, record.key, PRESENCE_CODE), {
          ok: false,
          reason: 'already_handled',
        });
        assert.deepEqual(
          await store.answerTransaction(record.key, {
            deviceId: 'd',
            accepted: false,
            now: NOW + 4,
          }),
          { ok: false, reason: 'already_handled' },
        );
      });

      it('takes a try for each wrong code, and denies at the last one as `presence_failed`', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const awaiting = await acceptAwaitingPresence(store, record);

        const first = await typeCode(store, record.key, '000000');
        const second = await typeCode(store, record.key, '111111');
        assert.ok(first.ok && second.ok);
        assert.equal(first.record.state, 'awaiting_presence');
        assert.equal(first.record.presenceTriesLeft, PRESENCE_TRIES - 1);
        assert.equal(first.record.version, awaiting.version + 1);
        assert.equal(second.record.presenceTriesLeft, PRESENCE_TRIES - 2);
        assert.equal(second.record.version, awaiting.version + 2);

        const last = await typeCode(store, record.key, '222222');
        assert.ok(last.ok);
        assert.deepEqual(last.record, {
          ...awaiting,
          state: 'denied',
          deniedReason: 'presence_failed',
          presenceCodeHash: null,
          presenceTriesLeft: null,
          version: awaiting.version + 3,
        });
        // The right code comes too late: the login ended.
        assert.deepEqual(await typeCode(store, record.key, PRESENCE_CODE), {
          ok: false,
          reason: 'already_handled',
        });
        assert.deepEqual(await store.getTransaction(record.key), last.record);
      });

      it('refuses a code for a login that awaits none, an unknown one, and after its time', async () => {
        const created = transactionFixture().record;
        const redeemed = redeemedFixture();
        const acceptedOutright = redeemedFixture();
        const late = redeemedFixture();
        for (const record of [created, redeemed, acceptedOutright, late])
          await store.insertTransaction(record);
        assert.ok(
          (
            await store.answerTransaction(acceptedOutright.key, {
              deviceId: 'd',
              accepted: true,
              now: NOW + 2,
            })
          ).ok,
        );
        await acceptAwaitingPresence(store, late);

        assert.deepEqual(await typeCode(store, created.key, PRESENCE_CODE), {
          ok: false,
          reason: 'not_in_progress',
        });
        assert.deepEqual(await typeCode(store, redeemed.key, PRESENCE_CODE), {
          ok: false,
          reason: 'not_in_progress',
        });
        assert.deepEqual(await typeCode(store, acceptedOutright.key, PRESENCE_CODE), {
          ok: false,
          reason: 'already_handled',
        });
        assert.deepEqual(await typeCode(store, sha256Hex('nope'), PRESENCE_CODE), {
          ok: false,
          reason: 'not_found',
        });
        assert.deepEqual(await typeCode(store, late.key, PRESENCE_CODE, PRESENCE_DEADLINE), {
          ok: false,
          reason: 'expired',
        });
        // A wrong code after the deadline costs nothing either: nothing changes any more.
        const lateRecord = await store.getTransaction(late.key);
        assert.deepEqual(await typeCode(store, late.key, '000000', PRESENCE_DEADLINE + 1), {
          ok: false,
          reason: 'expired',
        });
        assert.deepEqual(await store.getTransaction(late.key), lateRecord);
        assert.equal((await store.getTransaction(redeemed.key))?.state, 'redeemed');
      });

      it('keeps a login that awaits its code past the QR’s time, until the browser’s', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        await acceptAwaitingPresence(store, record);

        // The QR's time is up, the browser's not: neither the purge nor the code takes it away.
        await store.purgeExpired(record.expiresAt + 1);
        assert.equal((await store.getTransaction(record.key))?.state, 'awaiting_presence');
        const proved = await typeCode(store, record.key, PRESENCE_CODE, record.expiresAt + 1);
        assert.ok(proved.ok);
        assert.equal(proved.record.state, 'accepted');

        await store.purgeExpired(PRESENCE_DEADLINE);
        assert.equal(await store.getTransaction(record.key), undefined);
      });

      it('refuses a code hash or a presence that the store could not keep, and changes nothing', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const presence = {
          codeHash: sha256Hex(PRESENCE_CODE),
          tries: 3,
          expiresAt: PRESENCE_DEADLINE,
        };
        for (const bad of [
          { ...presence, codeHash: '482913' },
          { ...presence, tries: 0 },
          { ...presence, tries: 2.5 },
          { ...presence, expiresAt: Number.NaN },
        ]) {
          await assert.rejects(
            store.answerTransaction(record.key, {
              deviceId: 'd',
              accepted: true,
              now: NOW + 2,
              presence: bad,
            }),
            TypeError,
            JSON.stringify(bad),
          );
        }
        assert.deepEqual(await store.getTransaction(record.key), record);

        const awaiting = await acceptAwaitingPresence(store, record);
        await assert.rejects(
          store.provePresence(record.key, { codeHash: PRESENCE_CODE, now: NOW + 3 }),
          TypeError,
        );
        assert.deepEqual(await store.getTransaction(record.key), awaiting);
      });

      it('lets exactly one of 50 right codes typed at once (on two instances) accept', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const awaiting = await acceptAwaitingPresence(store, record);
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            typeCode(index % 2 === 0 ? store : other, record.key, PRESENCE_CODE),
          ),
        );

        assert.equal(results.filter((result) => result.ok).length, 1);
        assert.ok(
          results.every((result) => result.ok || result.reason === 'already_handled'),
          'every other is told the login was handled already',
        );
        const final = await store.getTransaction(record.key);
        assert.equal(final?.state, 'accepted');
        assert.equal(final.version, awaiting.version + 1);
      });

      it('counts every one of many wrong codes typed at once: no more tries than it gave', async () => {
        const record = redeemedFixture();
        await store.insertTransaction(record);
        const awaiting = await acceptAwaitingPresence(store, record);
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        const results = await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            typeCode(index % 2 === 0 ? store : other, record.key, String(index).padStart(6, '0')),
          ),
        );

        // Each try that counted is one change; the tries ran out at the third; later ones found
        // the login over.
        const counted = results.filter((result) => result.ok);
        assert.equal(counted.length, PRESENCE_TRIES);
        assert.deepEqual(
          counted.map((result) => result.record.presenceTriesLeft).sort(),
          [1, 2, null].sort(),
        );
        assert.ok(results.every((result) => result.ok || result.reason === 'already_handled'));
        const final = await store.getTransaction(record.key);
        assert.equal(final?.state, 'denied');
        assert.equal(final.deniedReason, 'presence_failed');
        assert.equal(final.version, awaiting.version + PRESENCE_TRIES);
      });
    });

    describe('enrollments and devices', () => {
      it('uses an enrollment code once, stores the device pending, and keeps the code to compare', async () => {
        const { record, secret } = enrollmentFixture();
        await store.insertEnrollment(record);
        const device = deviceFixture({ confirmedAt: null });

        const first = await store.redeemEnrollment(record.key, {
          secretHash: sha256Hex(secret),
          device,
          now: NOW + 1,
          compareCode: COMPARE_CODE,
          confirmBy: CONFIRM_BY,
        });
        const again = await store.redeemEnrollment(record.key, {
          secretHash: sha256Hex(secret),
          device: deviceFixture({ confirmedAt: null }),
          now: NOW + 2,
          compareCode: '111111',
          confirmBy: CONFIRM_BY,
        });

        assert.ok(first.ok);
        const waiting = {
          ...record,
          deviceId: device.id,
          compareCode: COMPARE_CODE,
          expiresAt: CONFIRM_BY,
          version: record.version + 1,
        };
        assert.deepEqual(first.record, waiting);
        assert.deepEqual(again, { ok: false, reason: 'already_handled' });
        assert.deepEqual(await store.getEnrollment(record.key), waiting);
        assert.deepEqual(await store.getDevice(device.id), device);
        assert.equal(isActiveDevice(device), false, 'a pending device answers no login');
        assert.deepEqual(await store.listDevices('demo-website', 'alice'), [device]);
      });

      it('refuses a compare code that is not 6 digits, and uses no code', async () => {
        const { record, secret } = enrollmentFixture();
        await store.insertEnrollment(record);
        const device = deviceFixture({ confirmedAt: null });
        for (const compareCode of ['12345', '1234567', 'abcdef', '12 456']) {
          await assert.rejects(
            store.redeemEnrollment(record.key, {
              secretHash: sha256Hex(secret),
              device,
              now: NOW + 1,
              compareCode,
              confirmBy: CONFIRM_BY,
            }),
            TypeError,
            compareCode,
          );
        }
        assert.deepEqual(await store.getEnrollment(record.key), record);
        assert.equal(await store.getDevice(device.id), undefined);
      });

      it('refuses a second enrollment with the same key, as `duplicate`', async () => {
        const { record } = enrollmentFixture();
        await store.insertEnrollment(record);
        await assert.rejects(store.insertEnrollment(record), isStoreError('duplicate'));
      });

      it('refuses to enroll a device whose id is taken, as `duplicate`, and uses no code', async () => {
        const device = deviceFixture();
        await enroll(store, device);
        const second = enrollmentFixture();
        await store.insertEnrollment(second.record);
        await assert.rejects(
          store.redeemEnrollment(second.record.key, {
            secretHash: sha256Hex(second.secret),
            device: { ...device, userId: 'mallory' },
            now: NOW,
            compareCode: COMPARE_CODE,
            confirmBy: CONFIRM_BY,
          }),
          isStoreError('duplicate'),
        );
        assert.deepEqual(await store.getDevice(device.id), device);
        assert.equal((await store.getEnrollment(second.record.key))?.deviceId, null);
      });

      it('refuses a wrong secret and an expired code, and stores no device', async () => {
        const { record, secret } = enrollmentFixture();
        await store.insertEnrollment(record);
        const device = deviceFixture();
        assert.deepEqual(
          await store.redeemEnrollment(record.key, {
            secretHash: sha256Hex('guess'),
            device,
            now: NOW,
            compareCode: COMPARE_CODE,
            confirmBy: CONFIRM_BY,
          }),
          { ok: false, reason: 'not_found' },
        );
        assert.deepEqual(
          await store.redeemEnrollment(record.key, {
            secretHash: sha256Hex(secret),
            device,
            now: record.expiresAt,
            compareCode: COMPARE_CODE,
            confirmBy: CONFIRM_BY,
          }),
          { ok: false, reason: 'expired' },
        );
        assert.equal(await store.getDevice(device.id), undefined);
      });

      it('revokes a device once', async () => {
        const device = deviceFixture();
        await enroll(store, device);

        assert.equal(await store.revokeDevice(device.id, NOW + 10), true);
        assert.equal(await store.revokeDevice(device.id, NOW + 11), false);
        assert.equal(await store.revokeDevice('unknown', NOW), false);
        assert.equal((await store.getDevice(device.id))?.revokedAt, NOW + 10);
      });

      it('lists only the devices of one user of one client, oldest first', async () => {
        const mine = [deviceFixture({ createdAt: NOW + 2 }), deviceFixture({ createdAt: NOW + 1 })];
        const others = [deviceFixture({ userId: 'bob' }), deviceFixture({ clientId: 'other' })];
        for (const device of [...mine, ...others]) await enroll(store, device);
        assert.deepEqual(
          (await store.listDevices('demo-website', 'alice')).map((device) => device.id),
          [mine[1]?.id, mine[0]?.id],
        );
      });
    });

    describe('device passkeys', () => {
      it('gives a device its passkey, then later counters of it; the list and another handle see it', async () => {
        const device = deviceFixture({ confirmedAt: null });
        await enroll(store, device);
        const passkey = passkeyFixture();

        assert.equal(await store.setDevicePasskey(device.id, passkey), true);
        assert.deepEqual(await store.getDevice(device.id), { ...device, passkey });
        const counted = { ...passkey, counter: 7 };
        assert.equal(await store.setDevicePasskey(device.id, counted), true);
        assert.deepEqual((await store.getDevice(device.id))?.passkey, counted);
        assert.deepEqual(await store.listDevices(device.clientId, device.userId), [
          { ...device, passkey: counted },
        ]);

        // Read again through another handle (another connection, or the file opened again).
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);
        assert.deepEqual((await other.getDevice(device.id))?.passkey, counted);
      });

      it('replaces a passkey with a new one, and keeps the rest of the device', async () => {
        const device = deviceFixture();
        await enroll(store, device);
        await store.setDevicePasskey(device.id, passkeyFixture());
        const replacement = passkeyFixture({ credentialId: 'bmV3LWtleQ', registeredAt: NOW + 9 });
        assert.equal(await store.setDevicePasskey(device.id, replacement), true);
        assert.deepEqual(await store.getDevice(device.id), { ...device, passkey: replacement });
      });

      it('gives no passkey to a revoked or unknown device, and changes nothing', async () => {
        const device = deviceFixture();
        await enroll(store, device);
        await store.setDevicePasskey(device.id, passkeyFixture());
        await store.revokeDevice(device.id, NOW + 10);
        const before = await store.getDevice(device.id);

        assert.equal(
          await store.setDevicePasskey(device.id, passkeyFixture({ counter: 3 })),
          false,
        );
        assert.deepEqual(await store.getDevice(device.id), before);
        assert.equal(await store.setDevicePasskey(randomId128(), passkeyFixture()), false);
      });

      it('leaves the device revoked whenever a revoke races a passkey', async () => {
        const devices = Array.from({ length: 20 }, () => deviceFixture());
        for (const device of devices) await enroll(store, device);
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        await Promise.all(
          devices.map((device, index) =>
            Promise.all([
              (index % 2 === 0 ? store : other).setDevicePasskey(device.id, passkeyFixture()),
              afterTurns(index).then(() =>
                (index % 2 === 0 ? other : store).revokeDevice(device.id, NOW + 10),
              ),
            ]),
          ),
        );
        for (const device of devices) {
          assert.equal((await store.getDevice(device.id))?.revokedAt, NOW + 10);
        }
      });
    });

    describe('challenges', () => {
      const CHALLENGE = sha256Hex('a passkey challenge');

      it('uses a challenge once, before it expires, in the scope it was issued to', async () => {
        await store.insertChallenge('device-1', CHALLENGE, NOW + 300_000);
        assert.equal(await store.takeChallenge('device-2', CHALLENGE, NOW), false);
        assert.equal(await store.takeChallenge('device-1', sha256Hex('another'), NOW), false);
        assert.equal(await store.takeChallenge('device-1', CHALLENGE, NOW + 1), true);
        assert.equal(await store.takeChallenge('device-1', CHALLENGE, NOW + 2), false);

        await store.insertChallenge('device-1', sha256Hex('late'), NOW + 300_000);
        assert.equal(
          await store.takeChallenge('device-1', sha256Hex('late'), NOW + 300_000),
          false,
        );
      });

      it('keeps a challenge once, as `duplicate` the second time', async () => {
        await store.insertChallenge('device-1', CHALLENGE, NOW + 300_000);
        await assert.rejects(
          store.insertChallenge('device-1', CHALLENGE, NOW + 300_000),
          isStoreError('duplicate'),
        );
      });

      it('gives a challenge to one of many racing takes', async () => {
        await store.insertChallenge('device-1', CHALLENGE, NOW + 300_000);
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);
        const taken = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? store : other).takeChallenge('device-1', CHALLENGE, NOW),
          ),
        );
        assert.equal(taken.filter(Boolean).length, 1);
      });
    });

    describe('confirming a link', () => {
      /** An enrollment whose code a phone used; its device waits for the website's word. */
      async function usedCode(): Promise<{ key: string; device: DeviceRecord }> {
        const device = deviceFixture({ confirmedAt: null });
        const record = await enroll(store, device);
        return { key: record.key, device };
      }

      it('activates the device when the user says the codes match, once', async () => {
        const { key, device } = await usedCode();
        const waiting = await store.getEnrollment(key);

        const confirmed = await store.confirmEnrollment(key, { matches: true, now: NOW + 10 });

        assert.ok(confirmed.ok);
        assert.ok(waiting !== undefined);
        assert.deepEqual(confirmed.record, {
          ...waiting,
          outcome: 'confirmed',
          version: waiting.version + 1,
        });
        assert.deepEqual(await store.getEnrollment(key), confirmed.record);
        const active = await store.getDevice(device.id);
        assert.deepEqual(active, { ...device, confirmedAt: NOW + 10 });
        assert.equal(isActiveDevice(active), true);
        // The word is given: a "no" afterwards changes nothing.
        assert.deepEqual(await store.confirmEnrollment(key, { matches: false, now: NOW + 11 }), {
          ok: false,
          reason: 'already_handled',
        });
        assert.deepEqual(await store.getDevice(device.id), active);
      });

      it('revokes the device when the user says the codes differ', async () => {
        const { key, device } = await usedCode();

        const refused = await store.confirmEnrollment(key, { matches: false, now: NOW + 10 });

        assert.ok(refused.ok);
        assert.equal(refused.record.outcome, 'refused');
        const revoked = await store.getDevice(device.id);
        assert.deepEqual(revoked, { ...device, revokedAt: NOW + 10 });
        assert.equal(isActiveDevice(revoked), false);
        assert.deepEqual(await store.confirmEnrollment(key, { matches: true, now: NOW + 11 }), {
          ok: false,
          reason: 'already_handled',
        });
        assert.deepEqual(await store.getDevice(device.id), revoked);
        assert.equal(await store.revokeDevice(device.id, NOW + 12), false, 'revoked already');
      });

      it('refuses an unknown code, an unused one, and a word given after the deadline', async () => {
        const unused = enrollmentFixture().record;
        await store.insertEnrollment(unused);
        const { key, device } = await usedCode();

        assert.deepEqual(
          await store.confirmEnrollment(sha256Hex('nope'), { matches: true, now: NOW + 1 }),
          { ok: false, reason: 'not_found' },
        );
        assert.deepEqual(
          await store.confirmEnrollment(unused.key, { matches: true, now: NOW + 1 }),
          {
            ok: false,
            reason: 'not_in_progress',
          },
        );
        for (const matches of [true, false]) {
          assert.deepEqual(await store.confirmEnrollment(key, { matches, now: CONFIRM_BY }), {
            ok: false,
            reason: 'expired',
          });
        }
        assert.deepEqual(await store.getEnrollment(unused.key), unused);
        assert.equal((await store.getEnrollment(key))?.outcome, undefined);
        assert.deepEqual(await store.getDevice(device.id), device, 'still pending');
      });

      it('never activates a device that was revoked meanwhile: the link ends refused', async () => {
        for (const matches of [true, false]) {
          const { key, device } = await usedCode();
          assert.equal(await store.revokeDevice(device.id, NOW + 5), true);

          const result = await store.confirmEnrollment(key, { matches, now: NOW + 10 });

          assert.ok(result.ok);
          assert.equal(result.record.outcome, 'refused');
          // Revoked as it was, when it was: nothing undoes or re-dates a revocation.
          assert.deepEqual(await store.getDevice(device.id), { ...device, revokedAt: NOW + 5 });
        }
      });

      it('lets exactly one of 50 racing yes/no pairs (on two instances) decide the link', async () => {
        const { key, device } = await usedCode();
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) => [
            (index % 2 === 0 ? store : other).confirmEnrollment(key, {
              matches: true,
              now: NOW + 10,
            }),
            (index % 2 === 0 ? other : store).confirmEnrollment(key, {
              matches: false,
              now: NOW + 10,
            }),
          ]).flat(),
        );

        const winners = results.filter((result) => result.ok);
        assert.equal(winners.length, 1);
        assert.ok(results.every((result) => result.ok || result.reason === 'already_handled'));
        const outcome = winners[0]?.ok ? winners[0].record.outcome : undefined;
        const final = await store.getEnrollment(key);
        assert.equal(final?.outcome, outcome);
        // The device says what the enrollment says: both were written in one step.
        const kept = await store.getDevice(device.id);
        assert.deepEqual(
          kept,
          outcome === 'confirmed'
            ? { ...device, confirmedAt: NOW + 10 }
            : { ...device, revokedAt: NOW + 10 },
        );
      });

      it('leaves the device revoked whenever a revoke races a confirmation', async () => {
        // Many links at once, each confirmed on one instance and revoked on the other. Each
        // revoke sets off a turn of the event loop later than the one before (not to wait for
        // anything: to vary the order of the two). Whichever comes first, the revoke stands.
        // (postgres-store.node.test.ts pins the revoke between a confirmation's read and write.)
        const links = await Promise.all(Array.from({ length: 40 }, () => usedCode()));
        const other = factory.second ? await factory.second() : store;
        if (other !== store) extraStores.push(other);

        const raced = await Promise.all(
          links.map(({ key, device }, index) =>
            Promise.all([
              (index % 2 === 0 ? store : other).confirmEnrollment(key, {
                matches: true,
                now: NOW + 10,
              }),
              afterTurns(index).then(() =>
                (index % 2 === 0 ? other : store).revokeDevice(device.id, NOW + 10),
              ),
            ]),
          ),
        );

        for (const [index, [confirmed, revoked]] of raced.entries()) {
          const device = links[index]?.device;
          assert.ok(confirmed.ok && device !== undefined);
          assert.equal(revoked, true, 'the revoke always lands');
          const kept = await store.getDevice(device.id);
          assert.equal(kept?.revokedAt, NOW + 10, 'and is never undone by the confirmation');
          assert.equal(isActiveDevice(kept), false);
          // Refused when the revoke came first: then the device was never confirmed.
          if (confirmed.record.outcome === 'refused') assert.equal(kept.confirmedAt, null);
        }
      });

      it('keeps a used code until the deadline for the website’s word, past the code’s own', async () => {
        const { record, secret } = enrollmentFixture();
        await store.insertEnrollment(record);
        const device = deviceFixture({ confirmedAt: null });
        assert.ok(
          (
            await store.redeemEnrollment(record.key, {
              secretHash: sha256Hex(secret),
              device,
              now: NOW + 1,
              compareCode: COMPARE_CODE,
              confirmBy: record.expiresAt + 60_000,
            })
          ).ok,
        );

        await store.purgeExpired(record.expiresAt + 1);
        assert.equal((await store.getEnrollment(record.key))?.deviceId, device.id);
        assert.ok(
          (await store.confirmEnrollment(record.key, { matches: true, now: record.expiresAt + 1 }))
            .ok,
        );

        await store.purgeExpired(record.expiresAt + 60_000);
        assert.equal(await store.getEnrollment(record.key), undefined);
        const kept = await store.getDevice(device.id);
        assert.ok(kept !== undefined && isActiveDevice(kept), 'the device stays, active');
      });
    });

    const overwrite = factory.overwrite;
    if (overwrite !== undefined)
      describe('values it did not write', () => {
        /** What another program, an older version or a damaged disk could leave under a key. */
        const foreign = {
          'not JSON': '{"key":',
          'a list': '[]',
          'a record with a field missing': '{"key":"00"}',
        };

        it('reads a transaction that is not its record as `unreadable`, and changes nothing', async () => {
          const { record, otp } = transactionFixture();
          await store.insertTransaction(record);
          for (const [what, text] of Object.entries({
            ...foreign,
            'a transaction in a state it never has': JSON.stringify({ ...record, state: 'won' }),
          })) {
            await overwrite('transaction', record.key, text);
            await assert.rejects(
              store.getTransaction(record.key),
              isStoreError('unreadable'),
              what,
            );
            await assert.rejects(
              store.getTransactions([record.key]),
              isStoreError('unreadable'),
              what,
            );
            await assert.rejects(
              store.redeemTransaction(record.key, {
                otpHash: sha256Hex(otp),
                deviceId: 'd',
                userId: 'u',
                now: NOW + 1,
                shownDigest: SHOWN_DIGEST,
              }),
              isStoreError('unreadable'),
              what,
            );
          }
        });

        it('reads a transaction with a proof-of-presence field it never writes as `unreadable`', async () => {
          const { record } = transactionFixture();
          await store.insertTransaction(record);
          for (const [what, text] of Object.entries({
            'a code hash that is no digest': JSON.stringify({
              ...record,
              presenceCodeHash: '123456',
            }),
            'tries below none': JSON.stringify({ ...record, presenceTriesLeft: -1 }),
            'a shown digest that is no digest': JSON.stringify({ ...record, shownDigest: 'x' }),
          })) {
            await overwrite('transaction', record.key, text);
            await assert.rejects(
              store.getTransaction(record.key),
              isStoreError('unreadable'),
              what,
            );
            await assert.rejects(
              store.provePresence(record.key, { codeHash: sha256Hex(PRESENCE_CODE), now: NOW + 1 }),
              isStoreError('unreadable'),
              what,
            );
          }
        });

        it('reads records from before bound links and proof of presence, and carries on with them', async () => {
          // A login in progress, written by the version before: no shown digest, no presence.
          const { record, otp } = transactionFixture();
          await store.insertTransaction(record);
          const oldTransaction = without(
            record,
            'shownDigest',
            'presenceCodeHash',
            'presenceTriesLeft',
          );
          await overwrite('transaction', record.key, JSON.stringify(oldTransaction));
          assert.deepEqual(await store.getTransaction(record.key), record);
          const redeemed = await store.redeemTransaction(record.key, {
            otpHash: sha256Hex(otp),
            deviceId: 'd',
            userId: 'alice',
            now: NOW + 1,
            shownDigest: SHOWN_DIGEST,
          });
          assert.ok(redeemed.ok);
          assert.equal(redeemed.record.shownDigest, SHOWN_DIGEST);

          // A phone linked before links were confirmed: it counts as confirmed.
          const device = deviceFixture();
          const enrollment = await enroll(store, device);
          const oldDevice = without({ ...device, confirmedAt: null }, 'confirmedAt');
          await overwrite('device', device.id, JSON.stringify(oldDevice));
          const readDevice = await store.getDevice(device.id);
          assert.deepEqual(readDevice, oldDevice);
          assert.ok(isActiveDevice(readDevice));
          assert.deepEqual(await store.listDevices(device.clientId, device.userId), [oldDevice]);
          assert.equal(await store.revokeDevice(device.id, NOW + 2), true);

          // An enrollment code from before, unused: no compare code, outcome or requester.
          const oldEnrollment = { ...enrollment, version: 1 };
          await overwrite('enrollment', enrollment.key, JSON.stringify(oldEnrollment));
          assert.deepEqual(await store.getEnrollment(enrollment.key), oldEnrollment);
        });

        it('reads an enrollment or a device that is not its record as `unreadable`', async () => {
          const device = deviceFixture();
          const record = await enroll(store, device);
          for (const [what, text] of Object.entries({
            ...foreign,
            'a device whose key is not text': JSON.stringify({ ...device, publicKeyJwk: {} }),
            'a device whose passkey has no public key': JSON.stringify({
              ...device,
              passkey: { ...passkeyFixture(), publicKey: undefined },
            }),
            'a device whose passkey counts below zero': JSON.stringify({
              ...device,
              passkey: passkeyFixture({ counter: -1 }),
            }),
          })) {
            await overwrite('device', device.id, text);
            await assert.rejects(store.getDevice(device.id), isStoreError('unreadable'), what);
            await assert.rejects(
              store.listDevices(device.clientId, device.userId),
              isStoreError('unreadable'),
              what,
            );
            await assert.rejects(store.revokeDevice(device.id, NOW), isStoreError('unreadable'));
            await assert.rejects(
              store.setDevicePasskey(device.id, passkeyFixture()),
              isStoreError('unreadable'),
            );
            await overwrite('enrollment', record.key, text);
            await assert.rejects(store.getEnrollment(record.key), isStoreError('unreadable'), what);
          }
        });
      });

    describe('nonces', () => {
      it('accepts a nonce once per device', async () => {
        assert.equal(await store.claimNonce('device-1', 'n1', NOW + 60_000), true);
        assert.equal(await store.claimNonce('device-1', 'n1', NOW + 60_000), false);
        assert.equal(await store.claimNonce('device-2', 'n1', NOW + 60_000), true);
      });
    });

    describe('clean-up', () => {
      it('purges what expired, and keeps what is live', async () => {
        const old = transactionFixture({ expiresAt: NOW - 1 });
        const live = transactionFixture();
        await store.insertTransaction(old.record);
        await store.insertTransaction(live.record);
        await store.claimNonce('device-1', 'old', NOW - 1);
        await store.insertChallenge('device-1', sha256Hex('old'), NOW - 1);

        await store.purgeExpired(NOW);

        assert.equal(await store.getTransaction(old.record.key), undefined);
        assert.deepEqual(await store.getTransaction(live.record.key), live.record);
        assert.equal(await store.claimNonce('device-1', 'old', NOW + 1), true);
        // Gone, so that it can be kept again.
        await store.insertChallenge('device-1', sha256Hex('old'), NOW + 1);
      });
    });
  });
}

/** Resolves after `turns` turns of the event loop: a way to vary the order of racing calls. */
async function afterTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}

/** A copy of `record` without `keys`: a record as a version before those fields wrote it. */
function without<T extends object>(record: T, ...keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => !keys.includes(key as keyof T)),
  ) as Partial<T>;
}

/** An assertion for assert.rejects: the store error with `code`. */
export function isStoreError(code: StoreErrorCode): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof StoreError, `not a StoreError: ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.name, 'StoreError');
    return true;
  };
}
