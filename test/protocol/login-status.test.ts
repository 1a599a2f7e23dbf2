import { expect } from 'chai';
import { describe, it } from '#spec';
import { isFinalLoginStatus, isLoginStatus, LOGIN_STATUSES } from '../../src/protocol/index.js';

describe('login statuses', () => {
  it('are the six that the website contract names', () => {
    expect(LOGIN_STATUSES).to.deep.equal([
      'pending',
      'scanned',
      'confirm',
      'accepted',
      'denied',
      'expired',
    ]);
  });

  it('tell the final ones from the others', () => {
    expect(LOGIN_STATUSES.filter((status) => isFinalLoginStatus(status))).to.deep.equal([
      'accepted',
      'denied',
      'expired',
    ]);
  });

  it('refuse anything else', () => {
    for (const value of ['Accepted', 'done', '', null, 1, {}])
      expect(isLoginStatus(value)).to.equal(false);
  });
});
