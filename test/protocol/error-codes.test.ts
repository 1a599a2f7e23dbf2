import { expect } from 'chai';
import { describe, it } from '#spec';
import {
  type ErrorCodeEntry,
  SDK_ERRORS,
  sdkErrorName,
  TOKEN_SERVER_ERRORS,
  tokenServerErrorName,
} from '../../src/protocol/index.js';

describe('the error-code tables', () => {
  it("use Onegini's numbers for the concepts Onegini has", () => {
    expect(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED.code).to.equal(9029);
    expect(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_NOT_FOUND.code).to.equal(10013);
    expect(SDK_ERRORS.MOBILE_AUTHENTICATION_NOT_ENROLLED.code).to.equal(9021);
    expect(SDK_ERRORS.OTP_AUTHENTICATION_NOT_IN_PROGRESS.code).to.equal(8053);
    expect(SDK_ERRORS.MOBILE_AUTHENTICATION_ALREADY_IN_PROGRESS.code).to.equal(8056);
    expect(TOKEN_SERVER_ERRORS.INVALID_PARAMETER).to.include({ code: 1003, status: 400 });
    expect(TOKEN_SERVER_ERRORS.MESSAGE_TOO_LONG).to.include({ code: 1005, status: 400 });
    expect(TOKEN_SERVER_ERRORS.INVALID_TRANSACTION_ID.code).to.equal(3004);
    expect(TOKEN_SERVER_ERRORS.TYPE_NOT_FOUND.code).to.equal(3005);
  });

  it('give every code one meaning', () => {
    const tables: Record<string, ErrorCodeEntry>[] = [SDK_ERRORS, TOKEN_SERVER_ERRORS];
    for (const table of tables) {
      const codes = Object.values(table).map((entry) => entry.code);
      expect(new Set(codes).size, 'duplicate codes').to.equal(codes.length);
      for (const entry of Object.values(table)) expect(entry.description).to.match(/\.\)?$/);
    }
  });

  it('look a number up by its name and back', () => {
    expect(sdkErrorName(9029)).to.equal('MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED');
    expect(tokenServerErrorName(3004)).to.equal('INVALID_TRANSACTION_ID');
    expect(sdkErrorName(1)).to.equal(undefined);
    expect(tokenServerErrorName(9029)).to.equal(undefined);
  });
});
