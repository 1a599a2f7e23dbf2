/*
 * The test harness seen by tests that run both in Node and in browsers. In a browser,
 * @web/test-runner resolves `#spec` to this file and runs the tests with Mocha, whose globals
 * these are.
 */
import type { DescribeFn, HookFn, ItFn } from './spec-types.js';

const mocha = globalThis as unknown as {
  describe: DescribeFn;
  it: ItFn;
  beforeEach: HookFn;
  afterEach: HookFn;
};

export const describe: DescribeFn = (name, body) => {
  mocha.describe(name, body);
};
export const it: ItFn = (name, body) => {
  mocha.it(name, body);
};
export const beforeEach: HookFn = (body) => {
  mocha.beforeEach(body);
};
export const afterEach: HookFn = (body) => {
  mocha.afterEach(body);
};
