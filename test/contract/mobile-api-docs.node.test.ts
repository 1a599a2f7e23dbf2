/*
 * docs/token-server-api.md tells the truth about the mobile API's refusals: its table "Mobile
 * error codes" has one row for each refusal of src/protocol's MOBILE_API_REFUSALS, with its
 * `error_code`, HTTP status and `error`, and nothing else.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { MOBILE_API_REFUSALS } from '../../src/protocol/index.js';

const doc = await readFile(new URL('../../docs/token-server-api.md', import.meta.url), 'utf8');

/** The rows of the first table after `heading`, as arrays of cells without backticks. */
function tableAfter(markdown: string, heading: string): string[][] {
  const section = markdown.slice(markdown.indexOf(heading));
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
  }
  return rows;
}

describe('docs/token-server-api.md, "Mobile error codes"', () => {
  it('has a row for every refusal of MOBILE_API_REFUSALS, as the table says it is', () => {
    const rows = tableAfter(doc, '### Mobile error codes');
    const documented = rows.map(([code, status, error, , refusal]) => [
      refusal,
      { errorCode: Number(code), status: Number(status), error },
    ]);
    const expected = Object.entries(MOBILE_API_REFUSALS).map(([refusal, entry]) => [
      refusal,
      { errorCode: entry.errorCode, status: entry.status, error: entry.error },
    ]);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    assert.deepEqual(documented.sort(byName), expected.sort(byName));
  });
});
