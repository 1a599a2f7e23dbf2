// Where the browser that asked seems to be, as the phone is told it ("Mountain View, US · Google
// LLC — 8,800 km from this phone"), from the openly licensed databases installed with the
// package: DB-IP City Lite and @ip-location-db/asn (issue 15, item 2). Real data: the addresses
// below are the well-known public resolvers, whose operators do not change.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  openIpLocator,
  requesterPlace,
  type IpLocator,
} from '../../src/server/token-server/ip-location/index.js';

const CLOUDFLARE_ASN = 13335;
const GOOGLE_ASN = 15169;
const KPN_ASN = 1136;

// The embedded databases take a second or two and 150 MB to open: once for this file.
let locator: IpLocator;
before(async () => {
  const opened = await openIpLocator();
  assert.ok(opened, 'the embedded databases are installed (devDependencies)');
  locator = opened;
});

describe('the IP location of a public address', () => {
  it("names Cloudflare's resolver by its operator and its country", () => {
    for (const ip of ['1.1.1.1', '1.0.0.1']) {
      const location = locator.locate(ip);
      assert.ok(location, ip);
      assert.equal(location.asn, CLOUDFLARE_ASN, ip);
      assert.match(location.operator ?? '', /^Cloudflare\b/, ip);
      assert.match(location.country ?? '', /^[A-Z]{2}$/, ip);
    }
  });

  it("names Google's resolver, in the United States, with its city and coordinates", () => {
    const location = locator.locate('8.8.8.8');
    assert.ok(location);
    assert.equal(location.asn, GOOGLE_ASN);
    assert.equal(location.operator, 'Google LLC');
    assert.equal(location.country, 'US');
    assert.ok(location.city, 'a city');
    assert.equal(typeof location.latitude, 'number');
    assert.equal(typeof location.longitude, 'number');
  });

  it('looks up IPv6 addresses, and IPv4 ones that a dual-stack socket reports as IPv6', () => {
    const google6 = locator.locate('2001:4860:4860::8888');
    assert.ok(google6);
    assert.equal(google6.asn, GOOGLE_ASN);
    assert.equal(google6.operator, 'Google LLC');
    assert.match(google6.country ?? '', /^[A-Z]{2}$/);
    assert.deepEqual(locator.locate('::ffff:8.8.8.8'), locator.locate('8.8.8.8'));
  });

  it('tells a Dutch home connection by its operator (the place the app shows: "…, NL · KPN B.V.")', () => {
    const location = locator.locate('145.53.1.1');
    assert.ok(location);
    assert.equal(location.asn, KPN_ASN);
    assert.equal(location.operator, 'KPN B.V.');
    assert.equal(location.country, 'NL');
  });

  it('says nothing about addresses that say nothing: private, loopback, carrier NAT, link-local', () => {
    for (const ip of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '100.64.0.1',
      '169.254.1.1',
      '::1',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:192.168.1.1',
      'not an address',
      '',
    ]) {
      assert.equal(locator.locate(ip), null, ip);
    }
  });

  it('is opened once per process: a second Token Server shares the first one’s databases', async () => {
    assert.equal(await openIpLocator({}), locator);
  });
});

describe('the place the phone is shown', () => {
  it("is the browser's city, country and operator, with the distance from the phone", () => {
    const place = requesterPlace(locator, '8.8.8.8', '145.53.1.1');
    const browser = locator.locate('8.8.8.8');
    assert.deepEqual(
      { ...place, distance_km: undefined },
      {
        city: browser?.city,
        country: 'US',
        operator: 'Google LLC',
        distance_km: undefined,
        // The embedded data's licence (CC BY 4.0) asks for the credit wherever a place is shown.
        credit:
          'IP geolocation by DB-IP (db-ip.com); network operators by RouteViews, DB-IP and NRO',
      },
    );
    // California to the Netherlands: some 8,800 km, whatever the cities the database names.
    assert.ok(place?.distance_km !== null && place?.distance_km !== undefined);
    assert.ok(place.distance_km > 8_000 && place.distance_km < 9_500, `${place.distance_km} km`);
    assert.ok(Number.isInteger(place.distance_km));
  });

  it('is 0 km away when the phone calls from the same address, and across IP versions too', () => {
    assert.equal(requesterPlace(locator, '145.53.1.1', '145.53.1.1')?.distance_km, 0);
    const acrossVersions = requesterPlace(locator, '8.8.8.8', '2001:4860:4860::8888');
    assert.equal(typeof acrossVersions?.distance_km, 'number');
  });

  it('has no distance when the phone’s address says nothing or is unknown', () => {
    for (const phone of [null, '192.168.1.20', '100.64.3.4', '::1']) {
      const place = requesterPlace(locator, '8.8.8.8', phone);
      assert.ok(place, String(phone));
      assert.equal(place.operator, 'Google LLC', String(phone));
      assert.equal(place.distance_km, null, String(phone));
    }
  });

  it('is null when the browser’s address says nothing, is missing, or there are no databases', () => {
    for (const browser of ['192.168.1.10', '127.0.0.1', '::1', '100.64.0.9', 'garbage', null]) {
      assert.equal(requesterPlace(locator, browser, '8.8.8.8'), null, String(browser));
    }
    assert.equal(requesterPlace(null, '8.8.8.8', '8.8.4.4'), null);
  });

  it('is the same every time for the same addresses (the phone signs what it was shown)', () => {
    assert.deepEqual(
      requesterPlace(locator, '1.1.1.1', '145.53.1.1'),
      requesterPlace(locator, '1.1.1.1', '145.53.1.1'),
    );
  });
});
