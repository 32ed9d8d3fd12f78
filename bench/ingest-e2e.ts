import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startEmulator } from '../emulator/emulators.ts';
import { serveFunction } from '../emulator/functions-host.ts';
import { createPushSubscription, pubsubClient } from '../emulator/local-stack.ts';
import { delay } from '../emulator/processes.ts';
import { alert } from './alerts.ts';
import type { OpCounts } from './firestore-ops.ts';
import type { Figure } from './stats.ts';

/**
 * 10,000 alerts published to the Pub/Sub emulator, pushed to the ingest
 * function under functions-framework, stored in the Firestore emulator. The
 * function runs with bench/firestore-ops.ts loaded, which counts the
 * Firestore operations it makes.
 */
export async function benchIngestEndToEnd(count = 10_000): Promise<Figure[]> {
  const logDir = mkdtempSync(join(tmpdir(), 'comet-bench-'));
  const projectId = 'bench-ingest';
  const [firestore, pubsub] = await Promise.all([startEmulator('firestore', logDir), startEmulator('pubsub', logDir)]);
  const opsFile = join(logDir, 'ops.json');
  const ingest = await serveFunction('ingest', {
    file: 'ingest.ts',
    signatureType: 'cloudevent',
    logDir,
    env: {
      GOOGLE_CLOUD_PROJECT: projectId,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      METADATA_SERVER_DETECTION: 'none',
      NODE_OPTIONS: `--import ${join(import.meta.dirname, 'firestore-ops.ts')}`,
      COMET_BENCH_OPS_FILE: opsFile,
    },
  });
  const [host, port] = firestore.host.split(':') as [string, string];
  const db = new Firestore({ projectId, host, port: Number(port), ssl: false, customHeaders: { Authorization: 'Bearer owner' } });
  const client = pubsubClient(pubsub.host, projectId);
  try {
    await createPushSubscription(pubsub.host, projectId, 'comet-alerts', 'comet-alerts-ingest', ingest.url);
    const topic = client.topic('comet-alerts', { batching: { maxMessages: 500, maxMilliseconds: 20 } });
    const start = performance.now();
    const published: Promise<string>[] = [];
    for (let i = 0; i < count; i++) {
      const a = alert(i);
      published.push(topic.publishMessage({ data: Buffer.from(a.body), attributes: { source_type: a.source } }));
    }
    await Promise.all(published);
    let stored = 0;
    while (stored < count && performance.now() - start < 600_000) {
      await delay(500);
      stored = (await db.collection('events').count().get()).data().count;
    }
    const seconds = (performance.now() - start) / 1000;
    await delay(500);
    const ops = JSON.parse(readFileSync(opsFile, 'utf8')) as OpCounts;
    const writes = ops.writes / count;
    const reads = ops.reads / count;
    return [
      { benchmark: 'ingest end to end', figure: `${count} alerts through Pub/Sub, function, Firestore`, value: stored / seconds, unit: 'alerts/s' },
      { benchmark: 'ingest end to end', figure: 'events stored', value: stored, unit: `of ${count}` },
      { benchmark: 'ingest end to end', figure: 'Firestore writes per alert (counted)', value: writes, unit: 'writes', target: '<= 2', met: writes <= 2 },
      { benchmark: 'ingest end to end', figure: 'Firestore reads per alert (counted)', value: reads, unit: 'reads', target: '0', met: reads === 0 },
      { benchmark: 'ingest end to end', figure: 'Firestore round trips per alert (counted)', value: ops.roundTrips / count, unit: 'round trips' },
    ];
  } finally {
    await client.close();
    await db.terminate();
    await ingest.stop();
    await Promise.all([firestore.stop(), pubsub.stop()]);
  }
}
