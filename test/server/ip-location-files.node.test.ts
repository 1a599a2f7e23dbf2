// An operator may point the Token Server at IP databases of their own (a GeoIP2 file, fresher
// ip-location-db CSVs): a file that is named but cannot be used stops the server at start with
// a clear error, never a login later; and names from a database reach the phone only when they
// are safe to show (issue 15, item 2).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import {
  IpDatabaseError,
  openIpLocator,
  requesterPlace,
  type IpLocation,
  type IpLocator,
} from '../../src/server/token-server/ip-location/index.js';
import { embeddedCityDatabases } from '../../src/server/token-server/ip-location/embedded-ip-databases.js';

const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-ip-location-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

const RIGHT_TO_LEFT_OVERRIDE = '\u202e';

let files = 0;
/** A file in the test's folder holding `content`. */
function fileWith(content: string | Buffer, extension: string): string {
  files += 1;
  const path = join(directory, `database-${files}${extension}`);
  writeFileSync(path, content);
  return path;
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** The inclusive range of an IPv6 /64 as ip-location-db's num layout writes it (decimal). */
function ipv6Range(prefix64: string): string {
  const high = prefix64
    .split(':')
    .reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
  return `${high << 64n},${(high << 64n) | ((1n << 64n) - 1n)}`;
}

async function rejection(promise: Promise<unknown>): Promise<IpDatabaseError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof IpDatabaseError, `an IpDatabaseError, not ${String(error)}`);
    return error;
  }
  assert.fail('the databases opened');
}

describe("an operator's own operator (ASN) CSV files", () => {
  it('are read in ip-location-db’s num layout: quoted names, IPv4 and IPv6, in any order', async () => {
    const ipv4 = fileWith(
      [
        `${ipv4Number('198.51.100.0')},${ipv4Number('198.51.100.255')},64500,"Example, ""Net"" B.V."`,
        // A registry's mistake: a private range announced as some operator's.
        `${ipv4Number('10.0.0.0')},${ipv4Number('10.255.255.255')},64499,Leaked Private Range`,
        `${ipv4Number('192.0.2.0')},${ipv4Number('192.0.2.127')},64501,Plain Networks  Ltd`,
        `${ipv4Number('203.0.113.0')},${ipv4Number('203.0.113.255')},64666,"Evil${RIGHT_TO_LEFT_OVERRIDE}.V.B NPK"`,
        '',
      ].join('\r\n'),
      '.csv',
    );
    const ipv6 = fileWith(`${ipv6Range('2001:db8:1:2')},64502,Six Net\n`, '.CSV');
    const locator = await openIpLocator({ asnDatabase: [ipv4, ipv6], embedded: false });
    assert.ok(locator);
    assert.deepEqual(locator.locate('198.51.100.77'), {
      city: null,
      country: null,
      latitude: null,
      longitude: null,
      operator: 'Example, "Net" B.V.',
      asn: 64500,
    });
    assert.equal(locator.locate('192.0.2.127')?.operator, 'Plain Networks  Ltd');
    assert.equal(locator.locate('192.0.2.128'), null, 'just past the range');
    assert.equal(
      locator.locate('10.1.2.3'),
      null,
      'a private address says nothing, whatever the file',
    );
    assert.equal(locator.locate('2001:db8:1:2:abcd::1')?.asn, 64502);
    assert.equal(locator.locate('2001:db8:1:3::1'), null);
    // What the phone is shown: the name with one space where the registry typed two.
    assert.equal(requesterPlace(locator, '192.0.2.5', null)?.operator, 'Plain Networks Ltd');
    // A name that would read as another operator's is not shown, and here nothing else is known.
    assert.equal(locator.locate('203.0.113.5')?.asn, 64666);
    assert.equal(requesterPlace(locator, '203.0.113.5', null), null);
  });

  it('stop the start with the line that is wrong', async () => {
    const broken = fileWith('16777216,16777471,13335,"Cloudflare\n1,2,3\n', '.csv');
    const error = await rejection(openIpLocator({ asnDatabase: broken, embedded: false }));
    assert.equal(error.code, 'ip_database_invalid');
    assert.equal(error.path, broken);
    assert.match(error.message, /Line 1 .*unclosed quote/);
    const backwards = fileWith('16777471,16777216,13335,Cloudflare\n', '.csv');
    assert.match(
      (await rejection(openIpLocator({ asnDatabase: backwards, embedded: false }))).message,
      /ends before it starts/,
    );
    const empty = fileWith('', '.csv');
    assert.equal(
      (await rejection(openIpLocator({ asnDatabase: empty, embedded: false }))).code,
      'ip_database_invalid',
    );
  });
});

describe('a configured database that cannot be used', () => {
  it('is a typed error at start when the file is missing', async () => {
    const missing = join(directory, 'GeoLite2-City.mmdb');
    const error = await rejection(openIpLocator({ cityDatabase: missing }));
    assert.equal(error.code, 'ip_database_unreadable');
    assert.equal(error.path, missing);
    assert.match(error.message, /city database cannot be read/);
    const missingCsv = join(directory, 'asn-ipv4-num.csv');
    assert.equal(
      (await rejection(openIpLocator({ asnDatabase: missingCsv }))).code,
      'ip_database_unreadable',
    );
  });

  it('is a typed error when it is no MMDB file, or still gzipped', async () => {
    const text = fileWith('not a database at all', '.mmdb');
    assert.equal(
      (await rejection(openIpLocator({ cityDatabase: text, embedded: false }))).code,
      'ip_database_invalid',
    );
    const gzipped = fileWith(gzipSync('whatever'), '.mmdb');
    assert.match(
      (await rejection(openIpLocator({ asnDatabase: gzipped, embedded: false }))).message,
      /gzipped: unpack it/,
    );
  });

  it('is a typed error when a city database is named as the operators’ one', async () => {
    const [cityFile] = embeddedCityDatabases() ?? [];
    assert.ok(cityFile, 'the embedded city database is installed (devDependencies)');
    const error = await rejection(openIpLocator({ asnDatabase: cityFile, embedded: false }));
    assert.equal(error.code, 'ip_database_invalid');
    assert.match(error.message, /network operator database is of another kind/);
  });

  it('is tried again on the next start, not remembered as failed', async () => {
    const later = join(directory, 'later.csv');
    await rejection(openIpLocator({ asnDatabase: later, embedded: false }));
    writeFileSync(later, `${ipv4Number('192.0.2.0')},${ipv4Number('192.0.2.255')},64510,Later\n`);
    const locator = await openIpLocator({ asnDatabase: later, embedded: false });
    assert.equal(locator?.locate('192.0.2.1')?.operator, 'Later');
  });
});

describe('no databases at all', () => {
  it('is no locator, and so no place on the phone', async () => {
    assert.equal(await openIpLocator({ embedded: false }), null);
  });
});

/** A locator that says what the test wants about every address. */
function locatorSaying(location: Partial<IpLocation>): IpLocator {
  return {
    locate: () => ({
      city: 'Amsterdam',
      country: 'NL',
      latitude: 52.37,
      longitude: 4.9,
      operator: 'KPN B.V.',
      ...location,
    }),
  };
}

describe('names from the database on the phone', () => {
  it('are shown as the database has them when they are plain', () => {
    assert.deepEqual(requesterPlace(locatorSaying({}), '203.0.113.9', '203.0.113.10'), {
      city: 'Amsterdam',
      country: 'NL',
      operator: 'KPN B.V.',
      distance_km: 0,
      credit: null,
    });
  });

  it('are dropped when they hide a right-to-left override, to pass for another operator', () => {
    // Shown right to left after the override: "…KPN B.V." out of an attacker's own AS name.
    const hostile = `Evil Corp${RIGHT_TO_LEFT_OVERRIDE}.V.B NPK`;
    const place = requesterPlace(locatorSaying({ operator: hostile }), '203.0.113.9', null);
    assert.deepEqual(place, {
      city: 'Amsterdam',
      country: 'NL',
      operator: null,
      distance_km: null,
      credit: null,
    });
  });

  it('are dropped when they hold control or invisible characters, or run past 100 characters', () => {
    for (const city of ['Amster\u0000dam', 'Amster\u200bdam', 'Amsterdam\nBank', 'A'.repeat(101)]) {
      const place = requesterPlace(locatorSaying({ city }), '203.0.113.9', null);
      assert.ok(place, JSON.stringify(city));
      assert.equal(place.city, null, JSON.stringify(city));
      assert.equal(place.operator, 'KPN B.V.');
    }
    assert.equal(
      requesterPlace(locatorSaying({ city: 'A'.repeat(100) }), '203.0.113.9', null)?.city,
      'A'.repeat(100),
    );
  });

  it('leave no place at all when nothing is left to show', () => {
    const nothing = locatorSaying({ city: '\u202e', country: null, operator: '\u2066x' });
    assert.equal(requesterPlace(nothing, '203.0.113.9', null), null);
  });

  it('never fail a login when a locator throws', () => {
    const failing: IpLocator = {
      locate: () => {
        throw new Error('corrupt record');
      },
    };
    assert.equal(requesterPlace(failing, '203.0.113.9', '203.0.113.10'), null);
  });
});
