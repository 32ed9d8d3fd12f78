import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DispatchStore } from '../../lib/store/dispatch-store.ts';
import { describeWithEmulators, emulators, firestoreFor, uniqueProjectId } from '../support/stack.ts';

describeWithEmulators('DispatchStore on the Firestore emulator: the lease, and clearing escalations', () => {
  let db: Firestore;
  let store: DispatchStore;
  const t0 = new Date('2026-12-04T12:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const TTL = 60_000;

  beforeAll(() => {
    db = firestoreFor({ projectId: uniqueProjectId('dispatch-store'), firestoreHost: emulators?.firestoreHost as string });
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

  it('clears the escalations it saw, and leaves one an owner set while the escalation mail was going out', async () => {
    const seenAt = later(0);
    const clickedAt = later(5_000);
    const issues = db.collection('issues');
    await issues.doc('rt_seen').set({ escalationRequestedAt: seenAt, escalationDueAt: seenAt });
    await issues.doc('rt_overdue').set({ escalationDueAt: seenAt });
    // Read by the run at seenAt, clicked again before the run cleared it.
    await issues.doc('rt_clicked').set({ escalationRequestedAt: clickedAt, escalationDueAt: clickedAt });
    await store.clearEscalations([
      { fingerprint: 'rt_seen', requestedAt: seenAt, dueAt: seenAt },
      { fingerprint: 'rt_overdue', requestedAt: undefined, dueAt: seenAt },
      { fingerprint: 'rt_clicked', requestedAt: seenAt, dueAt: seenAt },
      { fingerprint: 'rt_gone', requestedAt: seenAt, dueAt: seenAt },
    ]);
    const state = async (id: string) => (await issues.doc(id).get()).data();
    expect(await state('rt_seen')).toEqual({});
    expect(await state('rt_overdue')).toEqual({});
    expect((await state('rt_clicked'))?.escalationRequestedAt.toMillis()).toBe(clickedAt.getTime());
    expect(await state('rt_gone')).toBeUndefined();
  });
});
