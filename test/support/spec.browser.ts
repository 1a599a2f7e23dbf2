/*
 * The test harness seen by tests that run both in Node and in browsers. In a browser,
 * @web/test-runner resolves `#spec` to this file and runs the tests with Mocha, whose globals
 * these are; the signatures are the common part of Mocha's and node:test's.
 */
type Body = () => void | Promise<void>;
type Suite = (name: string, body: () => void) => void;
type Test = (name: string, body: Body) => void;
type Hook = (body: Body) => void;

const mocha = globalThis as unknown as {
  describe: Suite;
  it: Test;
  beforeEach: Hook;
  afterEach: Hook;
};

export const describe: Suite = (name, body) => {
  mocha.describe(name, body);
};
export const it: Test = (name, body) => {
  mocha.it(name, body);
};
export const beforeEach: Hook = (body) => {
  mocha.beforeEach(body);
};
export const afterEach: Hook = (body) => {
  mocha.afterEach(body);
};
