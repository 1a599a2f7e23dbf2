/*
 * A worker thread with its own SQLite connection, for the cross-thread races in
 * sqlite-race.node.test.ts: it types proof-of-presence codes for one transaction, `count` times,
 * as fast as it can, and reports how many changed it and what the others were told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256Hex } from '../../../src/server/security/hashing.js';
import { SqliteStore } from '../../../src/server/store/sqlite-store.js';

const { file, key, codes, now } = workerData as {
  file: string;
  key: string;
  /** The codes to type, in order. */
  codes: string[];
  now: number;
};

const store = new SqliteStore(file);
parentPort?.once('message', () => {
  void (async () => {
    let changed = 0;
    const reasons = new Set<string>();
    for (const code of codes) {
      const result = await store.provePresence(key, { codeHash: sha256Hex(code), now });
      if (result.ok) changed += 1;
      else reasons.add(result.reason);
    }
    await store.close();
    parentPort?.postMessage({ changed, reasons: [...reasons] });
  })();
});
parentPort?.postMessage('ready');
