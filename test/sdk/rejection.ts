import assert from 'node:assert/strict';
import { OneginiError } from '../../src/sdk/index.js';

/** The OneginiError that `promise` rejects with; fails if it resolves or rejects with another. */
export async function rejection(promise: Promise<unknown>): Promise<OneginiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OneginiError, `expected a OneginiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}
