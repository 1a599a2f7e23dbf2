/*
 * The contract every Store adapter keeps. Each adapter's test file calls describeStoreContract
 * with a way to make a fresh store; the same tests run against every adapter.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { randomId128, sha256Hex } from '../../src/server/security/hashing.js';
import {
  newTransactionRecord,
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

function enrollmentFixture(): { record: EnrollmentRecord; secret: string } {
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

/** Links `device` through an enrollment of its own; returns that enrollment. */
export async function enroll(store: Store, device: DeviceRecord): Promise<EnrollmentRecord> {
  const { record, secret } = enrollmentFixture();
  await store.insertEnrollment(record);
  const linked = await store.redeemEnrollment(record.key, {
    secretHash: sha256Hex(secret),
    device,
    now: NOW,
  });
  assert.ok(linked.ok);
  return record;
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
        });
        const second = await store.redeemTransaction(record.key, {
          otpHash: sha256Hex(otp),
          deviceId: 'device-2',
          userId: 'bob',
          now: NOW + 2,
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
        const redeemAs = (deviceId: string, now: number) =>
          store.redeemTransaction(record.key, {
            otpHash: sha256Hex(otp),
            deviceId,
            userId: 'alice',
            now,
          });
        const first = await redeemAs('device-1', NOW + 1);
        const changed: string[] = [];
        const stop = store.onTransactionChange((key) => changed.push(key));

        // Its first response was lost: the same phone asks again.
        const again = await redeemAs('device-1', NOW + 2);
        const otherPhone = await redeemAs('device-2', NOW + 3);
        const tooLate = await redeemAs('device-1', record.expiresAt);

        assert.ok(first.ok && again.ok);
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
        const change = { otpHash: sha256Hex(otp), deviceId: 'd', now: NOW + 1 };
        assert.deepEqual(await store.redeemTransaction(record.key, { ...change, userId: 'bob' }), {
          ok: false,
          reason: 'wrong_user',
        });
        assert.ok((await store.redeemTransaction(record.key, { ...change, userId: 'alice' })).ok);
      });

      it('treats a wrong OTP like an unknown transaction', async () => {
        const { record } = transactionFixture();
        await store.insertTransaction(record);
        const change = { otpHash: sha256Hex('guess'), deviceId: 'd', userId: 'u', now: NOW };
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
    });

    describe('enrollments and devices', () => {
      it('uses an enrollment code once and stores the device', async () => {
        const { record, secret } = enrollmentFixture();
        await store.insertEnrollment(record);
        const device = deviceFixture();

        const first = await store.redeemEnrollment(record.key, {
          secretHash: sha256Hex(secret),
          device,
          now: NOW + 1,
        });
        const again = await store.redeemEnrollment(record.key, {
          secretHash: sha256Hex(secret),
          device: deviceFixture(),
          now: NOW + 2,
        });

        assert.ok(first.ok);
        assert.equal(first.record.deviceId, device.id);
        assert.deepEqual(again, { ok: false, reason: 'already_handled' });
        assert.deepEqual(await store.getDevice(device.id), device);
        assert.deepEqual(await store.listDevices('demo-website', 'alice'), [device]);
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
          }),
          { ok: false, reason: 'not_found' },
        );
        assert.deepEqual(
          await store.redeemEnrollment(record.key, {
            secretHash: sha256Hex(secret),
            device,
            now: record.expiresAt,
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
              }),
              isStoreError('unreadable'),
              what,
            );
          }
        });

        it('reads an enrollment or a device that is not its record as `unreadable`', async () => {
          const device = deviceFixture();
          const record = await enroll(store, device);
          for (const [what, text] of Object.entries({
            ...foreign,
            'a device whose key is not text': JSON.stringify({ ...device, publicKeyJwk: {} }),
          })) {
            await overwrite('device', device.id, text);
            await assert.rejects(store.getDevice(device.id), isStoreError('unreadable'), what);
            await assert.rejects(
              store.listDevices(device.clientId, device.userId),
              isStoreError('unreadable'),
              what,
            );
            await assert.rejects(store.revokeDevice(device.id, NOW), isStoreError('unreadable'));
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

        await store.purgeExpired(NOW);

        assert.equal(await store.getTransaction(old.record.key), undefined);
        assert.deepEqual(await store.getTransaction(live.record.key), live.record);
        assert.equal(await store.claimNonce('device-1', 'old', NOW + 1), true);
      });
    });
  });
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
