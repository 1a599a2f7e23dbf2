/*
 * docs/sdk.md tells the truth: its samples are the code that guide-samples.browser.test.ts runs,
 * and its error table has a row for every code of SDK_ERRORS.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { SDK_ERRORS } from '../../src/protocol/index.js';

const docs = await readFile(new URL('../../docs/sdk.md', import.meta.url), 'utf8');
const samples = await readFile(new URL('./guide-samples.ts', import.meta.url), 'utf8');
const userVerificationSample = await readFile(
  new URL('./user-verification-sample.ts', import.meta.url),
  'utf8',
);

/** The `#region` blocks of a source file, dedented. */
function regions(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(/\/\/ #region (\S+)\n([\s\S]*?)\n\s*\/\/ #endregion \1/g)) {
    const [, name = '', body = ''] = match;
    const lines = body.split('\n');
    const indent = Math.min(
      ...lines
        .filter((line) => line.trim() !== '')
        .map((line) => /^ */.exec(line)?.[0].length ?? 0),
    );
    found.set(name, lines.map((line) => line.slice(indent)).join('\n'));
  }
  return found;
}

/** The ```ts code blocks of a Markdown text. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? '');
}

describe('docs/sdk.md', () => {
  it("shows the guide's samples exactly as test/sdk/guide-samples.ts runs them", () => {
    const found = regions(samples);
    assert.deepEqual([...found.keys()], ['how-to-use', 'event-listener', 'accept', 'deny']);
    const blocks = codeBlocks(docs);
    for (const [name, code] of found) {
      assert.ok(
        blocks.includes(code),
        `docs/sdk.md has no code block equal to region ${name}:\n${code}`,
      );
    }
  });

  it('shows the user verification sample exactly as user-verification-sample.ts runs it', () => {
    const found = regions(userVerificationSample);
    assert.deepEqual(
      [...found.keys()],
      ['passkey-at-linking', 'user-verification-screen', 'accept-with-verification'],
    );
    const blocks = codeBlocks(docs);
    for (const [name, code] of found) {
      assert.ok(
        blocks.includes(code),
        `docs/sdk.md has no code block equal to region ${name}:\n${code}`,
      );
    }
  });

  it('has a row in the error table for every code of SDK_ERRORS', () => {
    for (const [name, entry] of Object.entries(SDK_ERRORS)) {
      const row = new RegExp(`^\\| ${entry.code} +\\| \`${name}\` +\\| \\S`, 'm');
      assert.match(docs, row, `no row for ${entry.code} ${name}`);
    }
  });
});
