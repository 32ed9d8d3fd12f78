import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AlertEvent } from '../../lib/model/event.ts';
import { EventStore } from '../../lib/store/event-store.ts';
import { FirestoreRest } from '../../lib/store/firestore-rest.ts';
import { describeWithEmulators, emulators, firestoreFor, uniqueProjectId } from '../support/stack.ts';

const HOUR = 3_600_000;

describeWithEmulators('EventStore on the Firestore emulator', () => {
  let db: Firestore;
  let store: EventStore;

  beforeAll(() => {
    const projectId = uniqueProjectId('store');
    db = firestoreFor({ projectId, firestoreHost: emulators?.firestoreHost as string });
    store = new EventStore(new FirestoreRest({ GOOGLE_CLOUD_PROJECT: projectId, FIRESTORE_EMULATOR_HOST: emulators?.firestoreHost }), { retentionMs: 90 * 24 * HOUR, timeoutMs: 10_000 });
  });
  afterAll(() => db?.terminate());

  const event = (id: string, receivedAt: Date): AlertEvent => ({
    id,
    source: 'forseti',
    fingerprint: `forseti_${id}`,
    owner: 'a@example.com',
    ownerRule: 'default',
    metadata: { resource: 'r', severity: 'high' },
    alert: { __weird__: { 'a.b': [1, { c: null }] } },
    messageId: 'm',
    publishedAt: undefined,
    receivedAt,
  });
  const read = async (collection: string, id: string) => (await db.collection(collection).doc(id).get()).data();

  it('creates the event and its issue in one commit, keeping the alert as text', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    expect(await store.record(event('e1', at), HOUR)).toBe('stored');
    const stored = await read('events', 'e1');
    expect(JSON.parse(stored?.alertJson)).toEqual({ __weird__: { 'a.b': [1, { c: null }] } });
    expect(stored?.expireAt.toMillis()).toBe(at.getTime() + 90 * 24 * HOUR);
    expect(await read('issues', 'forseti_e1')).toMatchObject({ owner: 'a@example.com', seenCount: 1, metadata: { resource: 'r', severity: 'high' } });
  });

  it('treats the same body as a duplicate while pending, however late it comes', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    await store.record(event('e2', at), HOUR);
    expect(await store.record(event('e2', new Date(at.getTime() + 5 * HOUR)), HOUR)).toBe('duplicate');
    expect((await read('issues', 'forseti_e2'))?.seenCount).toBe(1);
  });

  it('re-arms a processed event seen again after the window, replacing stale metadata', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    await store.record(event('e3', at), HOUR);
    await db.collection('events').doc('e3').update({ processedAt: at, sentAt: at });
    expect(await store.record(event('e3', new Date(at.getTime() + HOUR / 2)), HOUR)).toBe('duplicate');

    const later = new Date(at.getTime() + 2 * HOUR);
    const seenAgain = { ...event('e3', later), metadata: { resource: 'r' } };
    expect(await store.record(seenAgain, HOUR)).toBe('resighted');
    const stored = await read('events', 'e3');
    expect(stored).toMatchObject({ processedAt: null, sentAt: null, sightings: 2 });
    expect(stored?.receivedAt.toMillis()).toBe(later.getTime());
    const issue = await read('issues', 'forseti_e3');
    expect(issue).toMatchObject({ seenCount: 2, metadata: { resource: 'r' } });
    expect(issue?.metadata.severity).toBeUndefined();
    expect(issue?.lastSeen.toMillis()).toBe(later.getTime());
  });

  it('leaves issue state written by others alone', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    await db.collection('issues').doc('forseti_e4').set({ ignore: { state: 'snoozed' }, lastSentAt: at });
    await store.record(event('e4', at), HOUR);
    expect(await read('issues', 'forseti_e4')).toMatchObject({ ignore: { state: 'snoozed' }, seenCount: 1, owner: 'a@example.com' });
  });
});
