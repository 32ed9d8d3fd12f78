import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulators.ts';
import { startLocalStack, type LocalStack } from '../../emulator/local-stack.ts';
import { freePort } from '../../emulator/processes.ts';
import { describeWithEmulators, emulators, eventually, firestoreFor, functionLog, publish, sample, uniqueProjectId } from '../support/stack.ts';

/**
 * Firestore is down when the alert arrives: the function must fail so that
 * Pub/Sub redelivers, and the alert must be stored once Firestore is back.
 */
describeWithEmulators('ingest while Firestore is unreachable', () => {
  let stack: LocalStack;
  let firestore: Emulator | undefined;
  let db: Firestore | undefined;
  let firestoreHost: string;

  beforeAll(async () => {
    if (!emulators) return;
    firestoreHost = `127.0.0.1:${await freePort()}`;
    const projectId = uniqueProjectId('outage');
    stack = await startLocalStack({
      projectId,
      topic: 'comet-alerts',
      emulators: { firestoreHost, pubsubHost: emulators.pubsubHost },
      // Dispatch is not exercised here: nothing listens there.
      mailUrl: 'http://127.0.0.1:9',
      logDir: `${emulators.logDir}/${projectId}`,
      env: { COMET_STORAGE_TIMEOUT: '2s' },
    });
  });

  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
    await firestore?.stop();
  });

  it('keeps failing the delivery until Firestore is back, then stores the alert exactly once', async () => {
    const messageId = await publish(stack, sample('forseti'), { source_type: 'forseti' });
    const failures = () => functionLog(stack).filter((l) => l.messageId === messageId && l.severity === 'ERROR');
    await eventually('a failed delivery', () => (failures().length > 0 ? true : undefined), 90_000);

    firestore = await startEmulator('firestore', stack.logDir, Number(firestoreHost.split(':')[1]));
    db = firestoreFor({ projectId: stack.projectId, firestoreHost });
    const stored = await eventually(
      'the event after the outage',
      async () => {
        const docs = (await db!.collection('events').where('messageId', '==', messageId).get()).docs;
        return docs.length > 0 ? docs : undefined;
      },
      90_000,
    );
    expect(stored).toHaveLength(1);
    expect(failures()[0]?.message).toBe('ingest failed; the message will be redelivered');
    // Let any delivery still in flight finish; it must find the event already there.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await db.collection('events').get()).size).toBe(1);
    expect((await db.collection('issues').get()).docs.map((d) => d.data().seenCount)).toEqual([1]);
  }, 240_000);
});
