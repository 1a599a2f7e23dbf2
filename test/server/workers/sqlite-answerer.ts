/*
 * A worker thread with its own SQLite connection, for the cross-thread race in
 * sqlite-race.node.test.ts: it answers one transaction `count` times, as fast as it can.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../../../src/server/store/sqlite-store.js';

const { file, key, deviceId, accepted, count, now } = workerData as {
  file: string;
  key: string;
  deviceId: string;
  accepted: boolean;
  count: number;
  now: number;
};

const store = new SqliteStore(file);
parentPort?.once('message', () => {
  void (async () => {
    let won = 0;
    const reasons = new Set<string>();
    for (let i = 0; i < count; i += 1) {
      const result = await store.answerTransaction(key, { deviceId, accepted, now });
      if (result.ok) won += 1;
      else reasons.add(result.reason);
    }
    await store.close();
    parentPort?.postMessage({ won, reasons: [...reasons] });
  })();
});
parentPort?.postMessage('ready');
