import { expect } from 'chai';
import { describe, it } from '#spec';
import {
  isSlowDown,
  MAX_QR_TEXT_LENGTH,
  parseLoginStatusResponse,
  parseStartLoginResponse,
  WebsiteContractError,
} from '../../src/protocol/index.js';

const start = { id: 'abc_DEF-123', qr: 'HTTPS://SCAN.EXAMPLE/#1', expires_in: 60, interval: 2 };

function refusal(parse: () => unknown): WebsiteContractError {
  try {
    parse();
  } catch (error) {
    expect(error).to.be.instanceOf(WebsiteContractError);
    return error as WebsiteContractError;
  }
  throw new Error('expected a WebsiteContractError');
}

describe('the website contract', () => {
  it('reads a start response, with and without its optional fields', () => {
    expect(parseStartLoginResponse(start)).to.deep.equal(start);
    const full = { ...start, code: '42', same_device_url: 'https://scan.example/#1' };
    expect(parseStartLoginResponse({ ...full, extra: true })).to.deep.equal(full);
  });

  it('refuses a start response that a browser cannot use, naming the field', () => {
    const cases: [unknown, string, string | undefined][] = [
      [null, 'not_an_object', undefined],
      [[start], 'not_an_object', undefined],
      ['{}', 'not_an_object', undefined],
      [{ ...start, id: undefined }, 'missing_field', 'id'],
      [{ ...start, id: '../admin' }, 'invalid_field', 'id'],
      [{ ...start, qr: '' }, 'invalid_field', 'qr'],
      [{ ...start, qr: 'x'.repeat(MAX_QR_TEXT_LENGTH + 1) }, 'invalid_field', 'qr'],
      [{ ...start, expires_in: 0 }, 'invalid_field', 'expires_in'],
      [{ ...start, expires_in: '60' }, 'invalid_field', 'expires_in'],
      [{ ...start, interval: -1 }, 'invalid_field', 'interval'],
      [{ ...start, interval: Number.NaN }, 'invalid_field', 'interval'],
      [{ ...start, code: 42 }, 'invalid_field', 'code'],
    ];
    for (const [body, code, field] of cases) {
      const error = refusal(() => parseStartLoginResponse(body));
      expect([error.code, error.field]).to.deep.equal([code, field]);
    }
  });

  it('reads a status response and a slow_down', () => {
    expect(parseLoginStatusResponse({ status: 'pending' })).to.deep.equal({ status: 'pending' });
    expect(
      parseLoginStatusResponse({ status: 'accepted', redirect_to: '/account', interval: 3 }),
    ).to.deep.equal({ status: 'accepted', redirect_to: '/account', interval: 3 });
    const slow = parseLoginStatusResponse({ error: 'slow_down', interval: 5 });
    expect(isSlowDown(slow)).to.equal(true);
    expect(slow).to.deep.equal({ error: 'slow_down', interval: 5 });
  });

  it('refuses a status it does not know, and any other error', () => {
    expect(refusal(() => parseLoginStatusResponse({ status: 'done' })).field).to.equal('status');
    expect(refusal(() => parseLoginStatusResponse({})).code).to.equal('missing_field');
    expect(refusal(() => parseLoginStatusResponse({ error: 'boom' })).field).to.equal('error');
  });
});
