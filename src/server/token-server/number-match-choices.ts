import { createHmac } from 'node:crypto';
import { NUMBER_MATCH_CHOICE_COUNT } from '../../protocol/index.js';

const LOWEST = 10;
const HIGHEST = 99;

/*
 * The choices a phone is offered for a number-matching login are part of the details it signs
 * (shownDigest), and a phone whose first answer was lost redeems again: it must be offered the
 * same choices in the same order. So they are not drawn afresh but derived, with a key the phone
 * never sees (the client's secret hash, from the configuration that every instance shares), from
 * the transaction: the same on every instance and at every redemption, and as unpredictable to
 * the phone as a fresh draw. With the code in the derivation too, the phone cannot test which of
 * the choices yields the set it was shown.
 */

/**
 * `code` and decoys of the same range, {@link NUMBER_MATCH_CHOICE_COUNT} in all, in an order
 * that only `key` and `transactionKey` decide.
 */
export function numberMatchChoicesFor(code: string, key: string, transactionKey: string): string[] {
  const below = uniformStream(key, `${transactionKey}\n${code}`);
  const choices = new Set([code]);
  while (choices.size < NUMBER_MATCH_CHOICE_COUNT) {
    choices.add(String(LOWEST + below(HIGHEST - LOWEST + 1)));
  }
  const shuffled = [...choices];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = below(index + 1);
    [shuffled[index], shuffled[other]] = [shuffled[other] as string, shuffled[index] as string];
  }
  return shuffled;
}

/** Uniform integers in [0, limit) from HMAC-SHA256 blocks, without the modulo's bias. */
function uniformStream(key: string, context: string): (limit: number) => number {
  let block = Buffer.alloc(0);
  let offset = 0;
  let counter = 0;
  const nextWord = (): number => {
    if (offset + 4 > block.length) {
      block = createHmac('sha256', key)
        .update(`otp-login-qr/number-match/v1\n${context}\n${counter}`)
        .digest();
      counter += 1;
      offset = 0;
    }
    const word = block.readUInt32BE(offset);
    offset += 4;
    return word;
  };
  return (limit) => {
    const range = 2 ** 32;
    const usable = range - (range % limit);
    for (;;) {
      const value = nextWord();
      if (value < usable) return value % limit;
    }
  };
}
