/* Where the characters of a sentence with a right-to-left name land on the screen. */
import { expect } from 'chai';
import { describe, it } from '#spec';
import { setLocale, t } from '../../src/app/i18n/locale.js';

describe('names in the app’s sentences, as laid out', () => {
  /** Where the character at `index` of `text` lands, when `text` is shown in an English page. */
  function leftOf(text: string, index: number): number {
    const line = document.createElement('p');
    line.textContent = text;
    document.body.append(line);
    try {
      const range = document.createRange();
      const node = line.firstChild;
      if (node === null) throw new Error('no text');
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect().left;
    } finally {
      line.remove();
    }
  }

  it('keeps a right-to-left name from pulling what follows it out of order', () => {
    setLocale('en');
    // Without isolates, the digits after a Hebrew name join its right-to-left run, and show at
    // its left.
    const text = t().nameWithUserId('שרה', '1111');
    expect(leftOf(text, text.indexOf('1'))).to.be.above(leftOf(text, text.indexOf('ש')));
    const sentence = t().accountAt(text, 'Demo Bank');
    expect(leftOf(sentence, sentence.indexOf('at'))).to.be.above(
      leftOf(sentence, sentence.indexOf('1')),
    );
  });
});
