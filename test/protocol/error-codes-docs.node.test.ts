/*
 * docs/protocol.md's table of error codes is what an integrator reads to handle each one: it
 * lists every code of SDK_ERRORS, by its number, name and origin, and nothing else.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { SDK_ERRORS } from '../../src/protocol/index.js';

/** The origins as the docs write them. */
const ORIGIN_NAMES: Record<string, string> = {
  'onegini-sdk': 'Onegini SDK',
  'onegini-flutter': 'Onegini Flutter',
  'otp-login-qr': 'otp-login-qr',
};

describe("docs/protocol.md's error codes", () => {
  it('list every code of SDK_ERRORS, with its name and origin, and no other', async () => {
    const docs = await readFile('docs/protocol.md', 'utf8');
    const section = docs.slice(docs.indexOf('## Error codes'));
    const rows = [...section.matchAll(/^\| (\d+)\s+\| ([A-Z_0-9]+)[^|]*\| ([^|]+?)\s+\|$/gm)].map(
      ([, code, name, origin]) => `${code} ${name} ${origin}`,
    );
    const expected = Object.entries(SDK_ERRORS).map(
      ([name, error]) => `${error.code} ${name} ${ORIGIN_NAMES[error.origin] ?? error.origin}`,
    );
    assert.deepEqual([...rows].sort(), [...expected].sort());
  });
});
