/*
 * The SDK's estimate of the Token Server's clock, learned from the Date header: it moves only for
 * differences beyond the header's one-second precision, and converts server times to local ones.
 */
import { expect } from 'chai';
import { describe, it } from '#spec';
import { ServerClock } from '../../src/sdk/server-clock.js';

const LOCAL_NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function clockAt(local = LOCAL_NOW): ServerClock {
  return new ServerClock(() => local);
}

describe('ServerClock', () => {
  it('starts at the local time', () => {
    expect(clockAt().now()).to.equal(LOCAL_NOW);
  });

  it('learns a server 10 minutes ahead from Date, and converts times both ways', () => {
    const clock = clockAt();
    const serverNow = new Date(LOCAL_NOW + 600_000).toUTCString();
    expect(clock.observe(serverNow, LOCAL_NOW - 40, LOCAL_NOW)).to.equal(true);
    expect(Math.abs(clock.now() - (LOCAL_NOW + 600_000))).to.be.at.most(1_000);
    expect(Math.abs(clock.toLocal(LOCAL_NOW + 660_000) - (LOCAL_NOW + 60_000))).to.be.at.most(
      1_000,
    );
  });

  it('learns a server behind as well', () => {
    const clock = clockAt();
    clock.observe(new Date(LOCAL_NOW - 300_000).toUTCString(), LOCAL_NOW, LOCAL_NOW);
    expect(Math.abs(clock.now() - (LOCAL_NOW - 300_000))).to.be.at.most(1_000);
  });

  it('ignores differences within the header precision', () => {
    const clock = clockAt();
    expect(clock.observe(new Date(LOCAL_NOW + 1_000).toUTCString(), LOCAL_NOW, LOCAL_NOW)).to.equal(
      false,
    );
    expect(clock.now()).to.equal(LOCAL_NOW);
  });

  it('ignores a missing or unreadable Date', () => {
    const clock = clockAt();
    expect(clock.observe(null, LOCAL_NOW, LOCAL_NOW)).to.equal(false);
    expect(clock.observe('not a date', LOCAL_NOW, LOCAL_NOW)).to.equal(false);
    expect(clock.now()).to.equal(LOCAL_NOW);
  });

  it('goes back to 0 when the server agrees again', () => {
    const clock = clockAt();
    clock.observe(new Date(LOCAL_NOW + 600_000).toUTCString(), LOCAL_NOW, LOCAL_NOW);
    expect(clock.observe(new Date(LOCAL_NOW).toUTCString(), LOCAL_NOW, LOCAL_NOW)).to.equal(true);
    expect(clock.now()).to.equal(LOCAL_NOW);
  });
});
