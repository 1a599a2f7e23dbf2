import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KitError, MemoryLoginStore, type LoginRecord } from '../../src/server/kit/index.js';
import { setUpKit, TestBrowser } from './kit-harness.js';

const record: LoginRecord = {
  flow: 'login',
  transactionId: '0123456789abcdef0123456789abcdef',
  bindingHash: 'ab'.repeat(32),
  expiresAt: 2_000,
  status: 'pending',
};

describe('MemoryLoginStore', () => {
  it('forgets an entry at its time, and take() hands a login out once', async () => {
    let now = 1_000;
    const store = new MemoryLoginStore({ clock: () => now });
    await store.put('a', record, 3_000);
    assert.deepEqual(await store.get('a'), record);
    assert.deepEqual(await store.take('a'), record);
    assert.equal(await store.take('a'), undefined);
    await store.put('b', record, 3_000);
    now = 3_000;
    assert.equal(await store.get('b'), undefined);
    assert.equal(await store.take('b'), undefined);
  });

  it('does not bring back a taken or forgotten login when it records a new status', async () => {
    let now = 1_000;
    const store = new MemoryLoginStore({ clock: () => now });
    await store.put('a', record, 3_000);
    await store.replace('a', { ...record, status: 'scanned' }, 3_000);
    assert.equal((await store.get('a'))?.status, 'scanned');
    await store.take('a');
    await store.replace('a', { ...record, status: 'scanned' }, 3_000);
    assert.equal(await store.get('a'), undefined);
    await store.put('b', record, 2_000);
    now = 2_000;
    await store.replace('b', record, 5_000);
    assert.equal(await store.get('b'), undefined);
  });

  it('is bounded: when full of live logins it refuses new ones, and makes room from expired ones', async () => {
    let now = 0;
    const store = new MemoryLoginStore({ maxEntries: 2, clock: () => now });
    await store.put('a', record, 100);
    await store.put('b', record, 200);
    await assert.rejects(store.put('c', record, 300), (error: unknown) => {
      assert.ok(error instanceof KitError);
      assert.equal(error.code, 'store_full');
      return true;
    });
    assert.ok(await store.get('a'), 'a live login is never pushed out');
    await store.put('a', { ...record, status: 'scanned' }, 100); // replacing needs no room
    now = 150;
    await store.put('c', record, 300);
    assert.equal(store.size, 2);
    assert.equal(await store.get('a'), undefined);
  });

  it('a full store makes the kit answer 503 busy with Retry-After', async () => {
    const { kit } = setUpKit({ store: new MemoryLoginStore({ maxEntries: 1 }) });
    const browser = new TestBrowser(kit);
    await browser.start();
    await browser.startRefusedAsBusy();
  });
});
