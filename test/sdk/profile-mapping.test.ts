/* How the Token Server's browser and OS strings become the confirmation screen's fields. */
import { expect } from 'chai';
import { describe, it } from '#spec';
import { softwareName } from '../../src/sdk/profile-mapping.js';

describe('softwareName', () => {
  it('splits a trailing version off the name', () => {
    expect(softwareName('Firefox 128')).to.deep.equal({ name: 'Firefox', version: '128' });
    expect(softwareName('Microsoft Edge 120.0.2210')).to.deep.equal({
      name: 'Microsoft Edge',
      version: '120.0.2210',
    });
    expect(softwareName('macOS 14.1')).to.deep.equal({ name: 'macOS', version: '14.1' });
  });

  it('keeps a name without a version whole', () => {
    expect(softwareName('Linux')).to.deep.equal({ name: 'Linux' });
    expect(softwareName('Chrome OS')).to.deep.equal({ name: 'Chrome OS' });
  });

  it('gives undefined for an unknown (null or blank) value', () => {
    expect(softwareName(null)).to.equal(undefined);
    expect(softwareName('  ')).to.equal(undefined);
  });

  it('gives undefined for a text the phone must not show: reversed, hidden or overlong', () => {
    expect(softwareName('\u202exoferiF 128')).to.equal(undefined);
    expect(softwareName('Fire\u200bfox 128')).to.equal(undefined);
    expect(softwareName('Firefox\n128')).to.equal(undefined);
    expect(softwareName(`Firefox ${'1'.repeat(80)}`)).to.equal(undefined);
  });
});
