/*
 * The test harness seen by tests that run both in Node and in browsers. Node resolves `#spec` to
 * this file (package.json "imports", condition "node"): node:test's describe/it.
 */
import * as nodeTest from 'node:test';
import type { DescribeFn, HookFn, ItFn } from './spec-types.js';

export const describe: DescribeFn = (name, body) => {
  void nodeTest.describe(name, body);
};
export const it: ItFn = (name, body) => {
  void nodeTest.it(name, body);
};
export const beforeEach: HookFn = (body) => {
  nodeTest.beforeEach(body);
};
export const afterEach: HookFn = (body) => {
  nodeTest.afterEach(body);
};
