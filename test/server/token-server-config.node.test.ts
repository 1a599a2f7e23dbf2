// The configuration of proof of presence, user verification, phone-link confirmation and IP
// databases: defaults that change nothing for an Onegini client, and values that are refused with
// a message naming them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInit } from '../../src/server/cli/init-command.js';
import { parseTokenServerConfig } from '../../src/server/token-server/config.js';
import { testConfig } from './token-server-fixture.js';

/** The test configuration as written in a file, with `change` applied to it. */
function configWith(change: (config: Record<string, unknown>) => void): unknown {
  const config = JSON.parse(JSON.stringify(testConfig())) as Record<string, unknown>;
  delete config.ipLocation;
  change(config);
  return config;
}

function firstType(config: Record<string, unknown>): Record<string, unknown> {
  return (config.types as Record<string, unknown>[])[0] ?? {};
}

describe('the configuration of a login type', () => {
  it('asks for no proof of presence unless told, and gives the browser two minutes when it does', () => {
    const [type] = parseTokenServerConfig(configWith(() => undefined)).types;
    assert.deepEqual([type?.proofOfPresence, type?.presenceTimeToLiveMs], ['never', 120_000]);
  });

  it('asks for no user verification unless told, as Onegini does', () => {
    const [type] = parseTokenServerConfig(configWith(() => undefined)).types;
    assert.equal(type?.userVerification, 'none');
  });

  it('takes each user verification policy', () => {
    for (const policy of ['required', 'preferred', 'none'] as const) {
      const config = parseTokenServerConfig(
        configWith((written) => {
          firstType(written).userVerification = policy;
        }),
      );
      assert.equal(config.types[0]?.userVerification, policy);
    }
  });

  it('refuses a proof of presence, a time to type the code or a user verification that is not one, naming it', () => {
    for (const [field, value] of [
      ['proofOfPresence', 'sometimes'],
      ['proofOfPresence', true],
      ['presenceTimeToLiveMs', 5_000],
      ['presenceTimeToLiveMs', 600_001],
      ['presenceTimeToLiveMs', 60_000.5],
      ['userVerification', 'always'],
      ['userVerification', true],
    ] as const) {
      assert.throws(
        () =>
          parseTokenServerConfig(
            configWith((config) => {
              firstType(config)[field] = value;
            }),
          ),
        (error: unknown) =>
          error instanceof TypeError && error.message.includes(`types.0.${field}`),
        `${field}: ${String(value)}`,
      );
    }
  });
});

describe('the configuration of phone links and places', () => {
  it('gives the website five minutes to confirm a link, and uses the embedded IP databases', () => {
    const config = parseTokenServerConfig(configWith(() => undefined));
    assert.equal(config.enrollmentConfirmTimeToLiveMs, 300_000);
    assert.deepEqual(config.ipLocation, { embedded: true });
  });

  it('takes no IP databases, or files of its own (one or a list)', () => {
    const none = parseTokenServerConfig(configWith((config) => (config.ipLocation = false)));
    assert.equal(none.ipLocation, false);
    const files = parseTokenServerConfig(
      configWith(
        (config) =>
          (config.ipLocation = {
            cityDatabase: '/var/lib/geoip/GeoLite2-City.mmdb',
            asnDatabase: ['/data/asn-ipv4-num.csv', '/data/asn-ipv6-num.csv'],
            embedded: false,
          }),
      ),
    );
    assert.deepEqual(files.ipLocation, {
      cityDatabase: '/var/lib/geoip/GeoLite2-City.mmdb',
      asnDatabase: ['/data/asn-ipv4-num.csv', '/data/asn-ipv6-num.csv'],
      embedded: false,
    });
  });

  it('refuses what is not one, naming it', () => {
    const bad: [string, unknown][] = [
      ['enrollmentConfirmTimeToLiveMs', 9_999],
      ['enrollmentConfirmTimeToLiveMs', 3_600_001],
      ['ipLocation', true],
      ['ipLocation', { cityDatabase: '' }],
      ['ipLocation', { asnDatabase: [] }],
      ['ipLocation', { city: '/x.mmdb' }],
    ];
    for (const [field, value] of bad) {
      assert.throws(
        () =>
          parseTokenServerConfig(
            configWith((config) => {
              config[field] = value;
            }),
          ),
        (error: unknown) => error instanceof TypeError && error.message.includes(field),
        `${field}: ${JSON.stringify(value)}`,
      );
    }
  });
});

describe('the configuration `otp-login-qr init` writes', () => {
  it('asks for proof of presence on its passwordless type unless browser and phone share a network', () => {
    const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-init-presence-'));
    try {
      const { configPath } = runInit(
        ['--website', 'https://www.example.com', '--token-server', 'https://tokens.example.com'],
        directory,
      );
      const config = parseTokenServerConfig(JSON.parse(readFileSync(configPath, 'utf8')));
      const types = new Map(config.types.map((type) => [type.name, type.proofOfPresence]));
      assert.equal(types.get('otp'), 'unless_same_network');
      // The second-factor type keeps Onegini's default; a website may turn it on there too.
      assert.equal(types.get('otp_second_factor'), 'never');
      // A phone with a passkey verifies its user before it accepts; one without taps.
      const verification = new Map(config.types.map((type) => [type.name, type.userVerification]));
      assert.equal(verification.get('otp'), 'preferred');
      assert.equal(verification.get('otp_second_factor'), 'none');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('a Token Server whose IP database cannot be read', () => {
  it('does not start, and says which file in one line', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'otp-login-qr-ip-database-'));
    try {
      const configPath = join(directory, 'config.json');
      const missing = join(directory, 'GeoLite2-City.mmdb');
      writeFileSync(
        configPath,
        JSON.stringify(configWith((config) => (config.ipLocation = { cityDatabase: missing }))),
      );
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/server/token-server/main.ts'],
        {
          env: {
            ...process.env,
            TOKEN_SERVER_CONFIG: configPath,
            TOKEN_SERVER_DATABASE: join(directory, 'ts.db'),
            TOKEN_SERVER_CREATE_DATABASE: '1',
            TOKEN_SERVER_PORT: '0',
            TOKEN_SERVER_APP: 'off',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 1, output);
      assert.match(
        output,
        /^The Token Server cannot open its IP databases: .*GeoLite2-City\.mmdb/m,
      );
      assert.doesNotMatch(output, /token server listening|\n\s+at /);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
