import { expect } from 'chai';
import { describe, it } from '#spec';
import { isDisplayName, MAX_DISPLAY_NAME_LENGTH } from '../../src/protocol/index.js';

describe('the name a phone shows for an account', () => {
  it('may be an email address, a full name in any script, or carry an emoji', () => {
    for (const name of [
      'alice@example.com',
      'Alice Example',
      'Zoë Ørsted',
      'Nguyê\u0303n', // decomposed Vietnamese: two marks on one letter
      '李小龍',
      'สมชาย',
      'Bob 🚀',
    ])
      expect(isDisplayName(name), name).to.equal(true);
  });

  it('counts characters, not UTF-16 units: 64 emoji fit, 65 letters do not', () => {
    expect(isDisplayName('🚀'.repeat(MAX_DISPLAY_NAME_LENGTH))).to.equal(true);
    expect(isDisplayName('a'.repeat(MAX_DISPLAY_NAME_LENGTH))).to.equal(true);
    expect(isDisplayName('a'.repeat(MAX_DISPLAY_NAME_LENGTH + 1))).to.equal(false);
  });

  it('is never empty, padded, or able to read as something else', () => {
    for (const name of [
      '',
      ' ',
      ' Alice',
      'Alice\n',
      'Alice\u0007',
      // "office@bank.com" as a right-to-left override shows it, from other characters
      'moc.knab@\u202Eeciffo',
      'Alice\u200DExample',
      'Alice\u2028Example',
      'Alice\uFEFF',
      // invisible: a Hangul filler alone, variation selectors, a combining grapheme joiner
      '\u3164',
      'Alice\uFE0F\uFE0F',
      'Ali\u034Fce',
      '\u2800',
      // private use (an Apple logo on Apple's fonts), a lone surrogate, an unassigned code point
      'Alice \uF8FF',
      'Alice \uD800',
      'Alice \u0378',
      // wide and fixed spaces, two spaces in a row
      'Alice\u3000Example',
      'Alice\u00A0Example',
      'Alice  Example',
      // marks stacked over the lines around
      'A\u0301\u0301\u0301\u0301\u0301',
    ])
      expect(isDisplayName(name), JSON.stringify(name)).to.equal(false);
  });

  it('is a string', () => {
    for (const value of [undefined, null, 42, ['Alice'], { name: 'Alice' }])
      expect(isDisplayName(value)).to.equal(false);
  });
});
