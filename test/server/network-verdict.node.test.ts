// What the phone is told about the network of the browser that asked to log in: "the same" only
// when the addresses honestly say so; "unknown" (shown as a warning, like "another") when they
// cannot, so that a relayed login cannot pass for a local one (issue 15, item 2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presenceRequired } from '../../src/server/token-server/proof-of-presence.js';
import { sameNetwork } from '../../src/server/token-server/requester-context.js';
import { isUninformativeAddress, networkOf } from '../../src/server/security/network-prefix.js';

describe("the phone's network verdict", () => {
  it('is the same for one IPv4 /24 or one IPv6 /64, and another for another', () => {
    assert.equal(sameNetwork('203.0.113.7', '203.0.113.200'), true);
    assert.equal(sameNetwork('203.0.113.7', '203.0.114.7'), false);
    assert.equal(sameNetwork('2001:db8:1:2::7', '2001:db8:1:2:ffff::1'), true);
    assert.equal(sameNetwork('2001:db8:1:2::7', '2001:db8:1:3::7'), false);
    assert.equal(sameNetwork('::ffff:203.0.113.7', '203.0.113.9'), true);
  });

  it('is unknown across IP versions, without an address, or for addresses that say nothing', () => {
    assert.equal(sameNetwork('203.0.113.7', '2001:db8::1'), null);
    assert.equal(sameNetwork(null, '203.0.113.7'), null);
    for (const [browser, phone] of [
      ['100.64.1.2', '100.64.1.3'], // carrier NAT: thousands of customers behind one address
      ['192.168.1.2', '192.168.1.3'],
      ['10.0.0.2', '10.0.0.3'],
      ['172.16.4.2', '172.16.4.3'],
      ['127.0.0.1', '127.0.0.1'], // a proxy the server was not told about makes everyone this
      ['::1', '::1'],
      ['fd00:1::2', 'fd00:1::3'],
      ['fe80::1', 'fe80::2'],
      ['169.254.1.1', '169.254.1.2'],
    ])
      assert.equal(sameNetwork(browser ?? '', phone ?? ''), null, `${browser} and ${phone}`);
  });

  it('tells the ranges apart at their edges', () => {
    assert.equal(isUninformativeAddress('100.63.255.255'), false);
    assert.equal(isUninformativeAddress('100.64.0.0'), true);
    assert.equal(isUninformativeAddress('100.127.255.255'), true);
    assert.equal(isUninformativeAddress('100.128.0.0'), false);
    assert.equal(isUninformativeAddress('172.15.255.255'), false);
    assert.equal(isUninformativeAddress('172.31.255.255'), true);
    assert.equal(isUninformativeAddress('172.32.0.0'), false);
    assert.equal(isUninformativeAddress('2001:db8::1'), false);
    assert.equal(isUninformativeAddress('not an address'), true);
    assert.equal(networkOf('2001:db8:1:2:3:4:5:6'), '2001:0db8:0001:0002::/64');
    assert.equal(networkOf('192.0.2.77'), '192.0.2.0/24');
  });
});

describe('the proof of presence that follows from the addresses', () => {
  it("is skipped by 'unless_same_network' only for one household's connection, never for an unknown one", () => {
    // One public IPv4 address (one NAT), or one IPv6 /64.
    assert.equal(presenceRequired('unless_same_network', '203.0.113.7', '203.0.113.7'), false);
    assert.equal(
      presenceRequired('unless_same_network', '2001:db8:1:2::7', '2001:db8:1:2:aaaa::1'),
      false,
    );
    // The same /24 is not enough: a carrier's NAT pool or a rented proxy address is there too.
    assert.equal(presenceRequired('unless_same_network', '203.0.113.7', '203.0.113.8'), true);
    assert.equal(presenceRequired('unless_same_network', '203.0.113.7', '198.51.100.7'), true);
    assert.equal(
      presenceRequired('unless_same_network', '2001:db8:1:2::7', '2001:db8:1:3::7'),
      true,
    );
    assert.equal(presenceRequired('unless_same_network', null, '203.0.113.7'), true);
    // A relay across IP versions, or from behind carrier NAT or a private network, is unknown.
    assert.equal(presenceRequired('unless_same_network', '203.0.113.7', '2001:db8::1'), true);
    assert.equal(presenceRequired('unless_same_network', '100.64.1.2', '100.64.1.2'), true);
    assert.equal(presenceRequired('unless_same_network', '192.168.1.2', '192.168.1.2'), true);
  });

  it("is always asked by 'always' and never by 'never', whatever the verdict", () => {
    for (const [browserIp, phoneIp] of [
      ['203.0.113.7', '203.0.113.7'],
      ['203.0.113.7', '198.51.100.7'],
      [null, null],
    ] as const) {
      assert.equal(presenceRequired('always', browserIp, phoneIp), true);
      assert.equal(presenceRequired('never', browserIp, phoneIp), false);
    }
  });
});
