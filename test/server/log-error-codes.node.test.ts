// An operator reading the Token Server's log after a fault: the error's code says what went wrong
// (a full disk, a refused connection), while an enrollment code in a log object stays hidden.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { StoreError } from '../../src/server/store/store-error.js';
import {
  LOGGER_REDACTIONS,
  LOGGER_SERIALIZERS,
} from '../../src/server/token-server/request-log.js';

function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(
    { level: 'info', redact: LOGGER_REDACTIONS, serializers: LOGGER_SERIALIZERS },
    sink,
  );
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the log of a failure', () => {
  it("names the error's code and its cause's, and still hides an enrollment code", () => {
    const { logger, lines } = capturingLogger();
    const disk = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    logger.error(
      { err: new StoreError('full', 'The disk is full.', { cause: disk }) },
      'store failed',
    );
    logger.warn(
      { err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) },
      'Redis connection error',
    );
    logger.info(
      { code: '2041484795132861805980525895190386332957145203233096017331367758639325409782234' },
      'enrollment',
    );

    const [stored, redis, enrollment] = lines();
    const err = stored?.err as Record<string, unknown>;
    assert.equal(err.errorCode, 'full');
    assert.equal(err.causeCode, 'SQLITE_FULL');
    assert.equal((redis?.err as Record<string, unknown>).errorCode, 'ECONNREFUSED');
    assert.equal(enrollment?.code, '[Redacted]');
  });
});
