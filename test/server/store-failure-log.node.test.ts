// An operator's log during a store outage: one line when it starts, then one every ten seconds
// that counts the failed requests since, not a line for every one of thousands of 503s.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { StoreError } from '../../src/server/store/store-error.js';
import { storeFailureLog } from '../../src/server/token-server/store-failure-log.js';

describe('the log of a failing store', () => {
  it('has the first failure of each kind, then one line per interval with the count since', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    let now = 0;
    const log = storeFailureLog(pino(sink), () => now, 10_000);
    const down = new StoreError('unavailable', 'Redis failed.');

    for (let second = 0; second < 25; second += 1) {
      now = second * 1000;
      for (let request = 0; request < 100; request += 1) log(down);
    }
    log(new StoreError('full', 'Redis is full.'));

    assert.deepEqual(
      lines.map((line) => [line.msg, line.failedSinceLastLine]),
      [
        ['store failed', undefined], // at 0 s
        ['store failed', 999], // at 10 s: the other 99 of second 0 and 900 of seconds 1 to 9
        ['store failed', 999], // at 20 s
        ['store failed', undefined], // another kind: logged at once
      ],
    );
  });
});
