/*
 * The test harness seen by tests that run both in Node and in browsers. Node resolves `#spec` to
 * this file (package.json "imports", condition "node"): node:test's describe/it.
 */
export { describe, it, beforeEach, afterEach } from 'node:test';
