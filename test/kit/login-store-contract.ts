/*
 * The contract every LoginStore keeps, and the kit's behaviour on it. Each store's test file calls
 * describeLoginStoreContract with a way to make a fresh store; the same tests run against every
 * store, as test/server/store-contract.ts does for the Token Server's stores.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  type LoginRecord,
  type LoginStore,
  type OtpLoginKit,
  type OtpLoginKitConfig,
} from '../../src/server/kit/index.js';
import { isStoreError } from '../server/store-contract.js';
import { TokenServerFixture } from '../server/token-server-fixture.js';
import { scan, setUpKit, SITE, TestBrowser } from './kit-harness.js';

/** A fresh store under test, and what the suite needs to drive it. */
export interface LoginStoreSubject {
  /** The store under test; its clock is `now`. */
  readonly store: LoginStore;
  /** Another website instance's store on the same logins (the same store, for one process's). */
  readonly other: LoginStore;
  /** The stores' time, epoch ms. */
  now(): number;
  /**
   * Makes `ms` pass for the stores and for the logins they hold now (for Redis: their keys'
   * expiry). A login put afterwards is not aged by it.
   */
  elapse(ms: number): Promise<void>;
  /** Leaves the store with no room for a new login, until the function it returns is called. */
  fill(): Promise<() => Promise<void>>;
  /** Writes `value` under login `id`, as another program could (for a store that keeps text). */
  writeRaw(id: string, value: string): Promise<void>;
  /** Resolves once the stores' shared rate counters (if they have any) count in the shared place. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface LoginStoreFactory {
  create(): Promise<LoginStoreSubject>;
  /** The store keeps logins as text that another program could write under a login's key. */
  readonly keepsText: boolean;
  /** Every instance on the store counts the kit's rate limits together. */
  readonly sharesRateLimits: boolean;
}

export function describeLoginStoreContract(name: string, factory: LoginStoreFactory): void {
  describe(`the ${name} login store`, () => {
    let subject: LoginStoreSubject;

    beforeEach(async () => {
      subject = await factory.create();
    });

    afterEach(async () => {
      await subject.close();
    });

    /** A login as the kit starts it, expiring in a minute. */
    function login(overrides: Partial<LoginRecord> = {}): LoginRecord {
      return {
        flow: 'login',
        transactionId: randomBytes(16).toString('hex'),
        bindingHash: 'ab'.repeat(32),
        expiresAt: subject.now() + 60_000,
        status: 'pending',
        ...overrides,
      };
    }

    describe('logins', () => {
      it('keeps a login until its time, and hands it out once', async () => {
        const { store } = subject;
        const record = login();
        await store.put('a', record, subject.now() + 120_000);
        assert.deepEqual(await store.get('a'), record);
        assert.deepEqual(await store.take('a'), record);
        assert.equal(await store.take('a'), undefined);
        assert.equal(await store.get('a'), undefined);
      });

      it('keeps what a linking or a second factor needs', async () => {
        const { store } = subject;
        const record = login({
          flow: 'enrollment',
          userId: 'dave',
          status: 'confirm',
          compareCode: '042917',
        });
        await store.put('e', record, subject.now() + 120_000);
        assert.deepEqual(await store.get('e'), record);
      });

      it('forgets a login when its time comes, and at once when that has passed', async () => {
        const { store } = subject;
        await store.put('b', login(), subject.now() + 60_000);
        await subject.elapse(30_000);
        assert.ok(await store.get('b'), 'kept before its time');
        await subject.elapse(30_000);
        assert.equal(await store.get('b'), undefined, 'forgotten at its time');
        assert.equal(await store.take('b'), undefined);

        await store.put('c', login(), subject.now() + 60_000);
        await store.put('c', login({ status: 'scanned' }), subject.now() - 1);
        assert.equal(await store.get('c'), undefined, 'a put whose time has passed removes it');
      });

      it('records a new status only while the login is kept', async () => {
        const { store, other } = subject;
        const record = login();
        const forgetAt = subject.now() + 120_000;
        await store.put('x', record, forgetAt);
        await store.replace('x', { ...record, status: 'scanned' }, forgetAt);
        assert.equal((await other.get('x'))?.status, 'scanned', 'another instance sees it');

        // Another instance took the login (and logged the browser in): it must not come back.
        assert.ok(await other.take('x'));
        await store.replace('x', { ...record, status: 'scanned' }, forgetAt);
        assert.equal(await other.get('x'), undefined);

        // Nor may a forgotten login, even with a later time.
        await store.put('y', record, subject.now() + 1_000);
        await subject.elapse(2_000);
        await store.replace('y', record, subject.now() + 60_000);
        assert.equal(await store.get('y'), undefined);
      });

      it('of two instances taking the same accepted login at once, exactly one gets it', async () => {
        const { store, other } = subject;
        for (let round = 0; round < 50; round += 1) {
          const id = `race-${round}`;
          await store.put(id, login({ status: 'accepted' }), subject.now() + 60_000);
          const taken = await Promise.all([store.take(id), other.take(id)]);
          assert.equal(taken.filter((record) => record !== undefined).length, 1, `round ${round}`);
        }
      });

      it('when full, refuses a new login with `full`, keeps those it holds, and takes new ones once it has room', async () => {
        const { store } = subject;
        const kept = login();
        await store.put('kept', kept, subject.now() + 60_000);
        const makeRoom = await subject.fill();
        try {
          await assert.rejects(
            store.put('new', login(), subject.now() + 60_000),
            isStoreError('full'),
          );
          assert.deepEqual(await store.get('kept'), kept, 'a live login is never pushed out');
        } finally {
          await makeRoom();
        }
        await store.put('new', login(), subject.now() + 60_000);
        assert.ok(await store.get('new'));
      });

      if (factory.keepsText)
        it('refuses a value under a login key that it did not write, on get and on take', async () => {
          const { store } = subject;
          const values = {
            'not-json': '{"flow":',
            'not-a-login': JSON.stringify({ ...login(), bindingHash: 'short' }),
            'another-flow': JSON.stringify({ ...login(), flow: 'admin' }),
            'a-list': JSON.stringify([login()]),
          };
          for (const [id, value] of Object.entries(values)) {
            await subject.writeRaw(id, value);
            await assert.rejects(store.get(id), isStoreError('unreadable'), `get ${id}`);
            await subject.writeRaw(id, value);
            await assert.rejects(store.take(id), isStoreError('unreadable'), `take ${id}`);
          }
        });
    });

    describe('the kit on it', () => {
      /** A website instance on `store`, with its own Token Server unless it is given one. */
      function kitOn(
        store: LoginStore,
        overrides: Partial<OtpLoginKitConfig> = {},
        tokenServer?: TokenServerFixture,
      ) {
        return setUpKit({ ...overrides, store }, tokenServer);
      }

      /** A load balancer that sends each request to the next instance. */
      function roundRobin(...kits: OtpLoginKit[]): Pick<OtpLoginKit, 'fetch'> {
        let next = 0;
        return {
          fetch: (request, context) => {
            const kit = kits[next % kits.length];
            next += 1;
            if (kit === undefined) throw new Error('no instance');
            return kit.fetch(request, context);
          },
        };
      }

      it('answers 503 busy with Retry-After while the store is full, and starts again once it has room', async () => {
        const { kit } = kitOn(subject.store);
        const browser = new TestBrowser(kit);
        const makeRoom = await subject.fill();
        try {
          await browser.startRefusedAsBusy();
        } finally {
          await makeRoom();
        }
        await browser.start();
      });

      it('logs the browser in whichever instance its polls reach, once', async () => {
        const tokenServer = new TokenServerFixture();
        const a = kitOn(subject.store, {}, tokenServer);
        const b = kitOn(subject.other, {}, tokenServer);
        const phone = await tokenServer.enrollDevice('alice');
        const browser = new TestBrowser(roundRobin(a.kit, b.kit));
        const { body } = await browser.start(); // instance A
        const pending = await browser.poll('/otp-login', body.id); // instance B
        assert.deepEqual(pending.body, { status: 'pending' });
        await (await scan(tokenServer, phone, body.qr)).answer('accept');

        const polls = await Promise.all([
          browser.poll('/otp-login', body.id),
          browser.poll('/otp-login', body.id),
        ]);
        const accepted = polls.filter((poll) => poll.body.status === 'accepted');
        assert.equal(accepted.length, 1, 'one of the two racing polls logs the browser in');
        assert.deepEqual([...a.logins, ...b.logins], ['alice']);
      });

      if (factory.keepsText)
        it('reports a login it cannot read and answers 503, and logs nobody in', async () => {
          const errors: unknown[] = [];
          const { kit, tokenServer, logins } = kitOn(subject.store, {
            onError: (error) => errors.push(error),
          });
          const phone = await tokenServer.enrollDevice('alice');
          const browser = new TestBrowser(kit);
          const { body } = await browser.start();
          await (await scan(tokenServer, phone, body.qr)).answer('accept');
          await subject.writeRaw(body.id, JSON.stringify({ flow: 'login', status: 'accepted' }));

          const polled = await browser.poll('/otp-login', body.id);
          assert.equal(polled.status, 503);
          assert.equal(polled.body.error, 'unavailable');
          assert.equal(polled.response.headers.get('retry-after'), '5');
          assert.equal(errors.length, 1);
          assert.ok(isStoreError('unreadable')(errors[0]));
          assert.deepEqual(logins, []);
        });

      if (factory.sharesRateLimits)
        it('counts a browser against its limits on every instance together', async () => {
          const overrides = { rateLimits: { startPerIp: { points: 3, durationSeconds: 60 } } };
          const a = kitOn(subject.store, overrides);
          const b = kitOn(subject.other, overrides);
          await subject.ready();
          const browser = new TestBrowser(roundRobin(a.kit, b.kit));
          for (let start = 0; start < 3; start += 1) await browser.start();
          const fourth = await browser.request('/otp-login', {
            method: 'POST',
            headers: { Origin: SITE },
          });
          assert.equal(fourth.status, 429, 'the fourth start, on either instance, is one too many');
          assert.ok(Number(fourth.headers.get('retry-after')) > 0);
          const elsewhere = new TestBrowser(roundRobin(b.kit, a.kit), '198.51.100.99');
          await elsewhere.start(); // another address has its own count
        });
    });
  });
}
