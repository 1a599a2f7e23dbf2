import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for `hosts` (names and IP addresses), kept in `directory` so that a
 * browser's exception for it survives a restart; made anew when the hosts change (a new LAN IP).
 */
export async function selfSignedCertificate(
  directory: string,
  hosts: string[],
): Promise<Certificate> {
  const keyPath = join(directory, 'localhost-key.pem');
  const certPath = join(directory, 'localhost-cert.pem');
  const hostsPath = join(directory, 'localhost-hosts.json');
  try {
    const [key, cert, saved] = await Promise.all([
      readFile(keyPath, 'utf8'),
      readFile(certPath, 'utf8'),
      readFile(hostsPath, 'utf8'),
    ]);
    if (saved === JSON.stringify(hosts)) return { key, cert };
  } catch {
    // none yet: make one
  }
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) =>
          isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host },
        ),
      },
    ],
  });
  await mkdir(directory, { recursive: true });
  await Promise.all([
    writeFile(keyPath, pems.private, { mode: 0o600 }),
    writeFile(certPath, pems.cert),
    writeFile(hostsPath, JSON.stringify(hosts)),
  ]);
  return { key: pems.private, cert: pems.cert };
}
