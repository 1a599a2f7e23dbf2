import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryLoginStore, type LoginRecord } from '../../src/server/kit/index.js';
import { isStoreError } from '../server/store-contract.js';
import { describeLoginStoreContract } from './login-store-contract.js';

const CAPACITY = 100;

const record: LoginRecord = {
  flow: 'login',
  transactionId: '3f2b6c1e-9d4a-4e8b-a1c7-52f0e6d9b834',
  bindingHash: 'ab'.repeat(32),
  expiresAt: 2_000,
  status: 'pending',
};

describeLoginStoreContract('memory', {
  keepsText: false,
  sharesRateLimits: false,
  create: () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const store = new MemoryLoginStore({ maxEntries: CAPACITY, clock: now });
    return Promise.resolve({
      store,
      other: store, // one process: every "instance" in it has the same store
      now,
      elapse: (ms) => {
        offset += ms;
        return Promise.resolve();
      },
      fill: async () => {
        const fillers: string[] = [];
        for (let index = 0; store.size < CAPACITY; index += 1) {
          fillers.push(`filler-${index}`);
          await store.put(`filler-${index}`, record, now() + 3_600_000);
        }
        return async () => {
          for (const id of fillers) await store.take(id);
        };
      },
      writeRaw: () => Promise.reject(new Error('The memory store keeps no text.')),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  },
});

describe('MemoryLoginStore', () => {
  it('is bounded: when full of live logins it refuses new ones, and makes room from expired ones', async () => {
    let now = 0;
    const store = new MemoryLoginStore({ maxEntries: 2, clock: () => now });
    await store.put('a', record, 100);
    await store.put('b', record, 200);
    await assert.rejects(store.put('c', record, 300), isStoreError('full'));
    assert.ok(await store.get('a'), 'a live login is never pushed out');
    await store.put('a', { ...record, status: 'scanned' }, 100); // replacing needs no room
    now = 150;
    await store.put('c', record, 300);
    assert.equal(store.size, 2);
    assert.equal(await store.get('a'), undefined);
  });

  it('refuses a bound that is not a positive whole number', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN])
      assert.throws(() => new MemoryLoginStore({ maxEntries }), TypeError);
  });
});
