import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DispatchStore } from '../../lib/store/dispatch-store.ts';
import { describeWithEmulators, emulators, firestoreFor, uniqueProjectId } from '../support/stack.ts';

describeWithEmulators('the dispatch lease on the Firestore emulator', () => {
  let db: Firestore;
  let store: DispatchStore;
  const t0 = new Date('2026-12-04T12:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const TTL = 60_000;

  beforeAll(() => {
    db = firestoreFor({ projectId: uniqueProjectId('lease'), firestoreHost: emulators?.firestoreHost as string });
    store = new DispatchStore(db, { timeoutMs: 10_000 });
  });
  afterAll(() => db?.terminate());

  it('lets one run in at a time, per source', async () => {
    expect(await store.acquireLease('forseti', 'run-a', t0, TTL)).toBe(true);
    expect(await store.acquireLease('forseti', 'run-b', later(1_000), TTL)).toBe(false);
    expect(await store.acquireLease('detectify', 'run-b', later(1_000), TTL)).toBe(true);
  });

  it('admits exactly one of several runs racing for a free lease', async () => {
    const results = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((holder) => store.acquireLease('race', holder, t0, TTL)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("expires a crashed run's lease, and a late release by that run leaves the new holder's lease alone", async () => {
    expect(await store.acquireLease('riskytoaster', 'crashed', t0, TTL)).toBe(true);
    expect(await store.acquireLease('riskytoaster', 'next', later(TTL + 1), TTL)).toBe(true);
    await store.releaseLease('riskytoaster', 'crashed');
    expect(await store.acquireLease('riskytoaster', 'third', later(TTL + 2), TTL)).toBe(false);
    await store.releaseLease('riskytoaster', 'next');
    expect(await store.acquireLease('riskytoaster', 'third', later(TTL + 3), TTL)).toBe(true);
  });
});
