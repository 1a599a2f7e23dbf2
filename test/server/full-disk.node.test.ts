// An operator's disk fills up under the Token Server (SQLite): calls that write answer 503 and
// say so in the log, /readyz turns 503, nothing already acknowledged is lost, and the server
// serves again as soon as there is room. The disk is a small tmpfs of its own (mounting one
// needs root, as npm test's provisioning does).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { BASE, TokenServerFixture } from './token-server-fixture.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'otp-login-qr-full-disk-'));
/** Room for the database and SQLite_MIN_FREE_BYTES (16 MiB) more, with little to spare. */
const DISK_MIB = 20;

before(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MIB}m`, 'tmpfs', mountPoint]);
  } catch (error) {
    throw new Error(
      `This test mounts a ${DISK_MIB} MiB tmpfs as its full disk, which needs root: ${String(error)}`,
    );
  }
});

after(() => {
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes zeros into `path` until the disk refuses (ENOSPC); returns the bytes written. */
function fillDisk(path: string): number {
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

describe('a SQLite Token Server whose disk fills up', () => {
  it('answers 503 while full, keeps what it acknowledged, and serves again once there is room', async () => {
    const store = new SqliteStore(join(mountPoint, 'token-server.db'), {
      onCheckpointError: () => undefined, // checkpoints fail too while the disk is full
    });
    const server = new TokenServerFixture(store);
    const readyz = async () => (await server.fetch(new Request(`${BASE}/readyz`))).status;
    try {
      const phone = await server.enrollDevice('alice');
      const accepted = await server.initialize();
      await server.mobile(phone, `/transactions/${accepted.transaction_id}/redeem`, {
        otp: accepted.code,
      });
      const answer = await server.mobile(phone, `/transactions/${accepted.transaction_id}/answer`, {
        answer: 'accept',
      });
      assert.equal(answer.status, 200);
      assert.equal(await readyz(), 200);

      const filler = join(mountPoint, 'filler');
      assert.ok(fillDisk(filler) > 0);
      assert.equal(await readyz(), 503, 'not ready with the disk full');
      const refused = await server.relyingParty('/authenticate/user', {
        method: 'POST',
        body: new URLSearchParams({
          type: 'otp',
          callback_uri: 'http://127.0.0.1:9/callback',
        }).toString(),
      });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '5');
      // What it acknowledged can still be read.
      assert.equal((await server.result(accepted.transaction_id)).body.status, 'accepted');

      rmSync(filler);
      assert.equal(await readyz(), 200, 'ready again once there is room');
      const later = await server.initialize();
      assert.equal((await server.result(later.transaction_id)).body.status, 'pending');
      const devices = await server.relyingParty('/users/alice/devices');
      const { devices: linked } = (await devices.json()) as { devices: { device_id: string }[] };
      assert.deepEqual(
        linked.map((device) => device.device_id),
        [phone.deviceId],
      );
    } finally {
      await server.server.close();
    }
  });
});
