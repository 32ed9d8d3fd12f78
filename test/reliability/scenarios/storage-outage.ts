import { join } from 'node:path';
import { type Emulator, exportFirestore, startEmulator } from '../../../emulator/emulators.ts';
import { eventually, firestoreFor, functionLog, startStack } from '../../support/harness.ts';
import { count, countOf, forsetiAlert, publishAll, range, untilSettled } from '../fixtures.ts';
import { startOutageProxy } from '../outage-proxy.ts';
import { check, type Scenario } from '../scenario.ts';

/**
 * Firestore goes away in the middle of an ingest burst and comes back: the
 * emulator is cut off, stopped, and restarted on the same port with the data
 * it held (as a real outage keeps it). Pub/Sub redelivery must bring every
 * alert in exactly once.
 */
export const storageOutage: Scenario<{ alerts: number; outageMs: number }> = {
  name: 'storage outage',
  claim: 'stores every alert of a burst exactly once when Firestore stops in the middle of it and restarts',
  sizes: { test: { alerts: 60, outageMs: 4_000 }, soak: { alerts: 1_000, outageMs: 15_000 } },
  async run(emulators, { alerts, outageMs }) {
    let firestore: Emulator = await startEmulator('firestore', emulators.logDir);
    const proxy = await startOutageProxy(firestore.host);
    const stack = await startStack({ ...emulators, firestoreHost: proxy.host }, 'storage-outage', { COMET_STORAGE_TIMEOUT: '2s' });
    // Inspected directly, not through the proxy.
    let db = firestoreFor({ projectId: stack.projectId, firestoreHost: firestore.host });
    try {
      const publishing = publishAll(stack, range(alerts).map((i) => forsetiAlert(i, `owner-${i % 10}@example.com`)), 10);
      const before = await eventually('a third of the burst stored', async () => {
        const stored = await count(db.collection('events'));
        return stored >= alerts / 3 ? stored : undefined;
      }, 300_000);

      proxy.cut();
      const port = Number(firestore.host.split(':')[1]);
      // Writes already inside the emulator finish; then what it holds is saved, as Firestore would keep it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const saved = await exportFirestore(firestore.host, stack.projectId, join(emulators.logDir, `${stack.projectId}-export`));
      await db.terminate();
      await firestore.stop();
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      firestore = await startEmulator('firestore', emulators.logDir, port, { importData: saved });
      db = firestoreFor({ projectId: stack.projectId, firestoreHost: firestore.host });
      proxy.restore();

      const ids = await publishing;
      const settled = await untilSettled(stack, ids, 900_000);
      const events = await count(db.collection('events'));
      const seenOnce = await count(db.collection('issues').where('seenCount', '==', 1));
      const failedDeliveries = functionLog(stack).filter((l) => l.severity === 'ERROR').length;
      return {
        tried: `${alerts} alerts; Firestore stopped for ${outageMs / 1000} s after ${before} were stored, then restarted (${failedDeliveries} deliveries failed and were redelivered)`,
        checks: [
          check('events', alerts, events),
          check('issues seen once', alerts, seenOnce),
          check('messages settled once', alerts, countOf(ids, (id) => settled.get(id) === 1)),
          check('deliveries failed during the outage', true, failedDeliveries > 0),
        ],
        lost: Math.abs(alerts - events) + (alerts - seenOnce),
      };
    } finally {
      await db.terminate();
      await stack.stop();
      await proxy.stop();
      await firestore.stop();
    }
  },
};
