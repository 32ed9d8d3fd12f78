import { FieldValue, type Timestamp, type WriteBatch } from '@google-cloud/firestore';
import type { FloodHold } from '../model/flood.ts';
import type { Issue, PendingEvent } from '../model/issue.ts';
import { FirestoreAdapter } from './adapter.ts';
import { COLLECTIONS } from './collections.ts';
import { toFloodHold } from './flood-store.ts';
import { toIssue } from './issue-doc.ts';
import { buildQuery, QUERIES } from './queries.ts';

/** Firestore's limit of writes in one commit. */
const MAX_BATCH_WRITES = 500;

/** A state change dispatch makes once a plan's outcome is known. */
export type DispatchWrite =
  | { kind: 'event'; id: string; processedAt?: Date | undefined; sentAt?: Date | undefined; escalatedAt?: Date | undefined }
  | {
      kind: 'issue';
      fingerprint: string;
      fields: Partial<Pick<Issue, 'firstSeen' | 'lastProcessedAt' | 'lastSentAt' | 'lastEscalatedAt' | 'escalationDueAt'>>;
    }
  | { kind: 'source'; source: string; lastEscalationAt?: Date; usualNewIssues?: number; flood?: FloodHold | null };

/** A real-time issue's escalation state as a dispatch run read it. */
export interface SeenEscalation {
  fingerprint: string;
  requestedAt: Date | undefined;
  dueAt: Date | undefined;
}

/** What dispatch keeps per source, besides its lease (`dispatchState/{source}`). */
export interface SourceState {
  lastEscalationAt: Date | undefined;
  /** New issues per batch, usually: what the flood guard compares with. */
  usualNewIssues: number | null;
  flood: FloodHold | undefined;
}

/**
 * Firestore access for dispatch: paged pending events, batched issue gets,
 * batched writes, and the per-source lease. No query runs per event.
 */
export class DispatchStore extends FirestoreAdapter {
  /** Receive times of the oldest and newest pending events (queries Q1 and Q2 of docs/data-model.md). */
  async pendingBounds(source: string): Promise<{ oldest: Date; newest: Date } | undefined> {
    const [oldest, newest] = await this.timed(
      Promise.all(
        [QUERIES.oldestPending, QUERIES.newestPending].map((spec) => buildQuery(this.db, spec, { equals: [source, null] }).limit(1).get()),
      ),
      'reading the pending bounds',
    );
    const first = oldest?.docs[0];
    const last = newest?.docs[0];
    if (!first || !last) return undefined;
    return { oldest: (first.get('receivedAt') as Timestamp).toDate(), newest: (last.get('receivedAt') as Timestamp).toDate() };
  }

  /** Every pending event of a source, oldest first, a page per round trip, only the fields dispatch needs. */
  async *pendingEvents(source: string, pageSize: number): AsyncGenerator<PendingEvent[]> {
    let cursor: Timestamp | undefined;
    let cursorId: string | undefined;
    for (;;) {
      let query = buildQuery(this.db, QUERIES.pendingEvents, { equals: [source, null] }).limit(pageSize);
      if (cursor && cursorId) query = query.startAfter(cursor, cursorId);
      const page = await this.timed(query.get(), 'reading pending events');
      if (page.empty) return;
      yield page.docs.map((doc) => ({
        id: doc.id,
        fingerprint: doc.get('fingerprint') as string,
        owner: doc.get('owner') as string,
        receivedAt: (doc.get('receivedAt') as Timestamp).toDate(),
      }));
      const last = page.docs[page.docs.length - 1];
      if (!last || page.size < pageSize) return;
      cursor = last.get('receivedAt') as Timestamp;
      cursorId = last.id;
    }
  }

  /** The issues of these fingerprints in one batched get. */
  async issues(fingerprints: readonly string[]): Promise<Map<string, Issue>> {
    if (fingerprints.length === 0) return new Map();
    const refs = fingerprints.map((fp) => this.db.collection(COLLECTIONS.issues).doc(fp));
    const snaps = await this.timed(this.db.getAll(...refs), 'reading issues');
    const found = new Map<string, Issue>();
    for (const snap of snaps) {
      const data = snap.data();
      if (data) found.set(snap.id, toIssue(snap.id, data));
    }
    return found;
  }

  /** Real-time issues whose escalation is due (query Q7). */
  async escalationsDue(source: string, now: Date): Promise<Issue[]> {
    const snap = await this.timed(
      buildQuery(this.db, QUERIES.escalationsDue, { equals: [source], range: now }).limit(MAX_BATCH_WRITES).get(),
      'reading due escalations',
    );
    return snap.docs.map((doc) => toIssue(doc.id, doc.data()));
  }

  async sourceState(source: string): Promise<SourceState> {
    const snap = await this.timed(this.db.collection(COLLECTIONS.dispatchState).doc(source).get(), 'reading the dispatch state');
    return {
      lastEscalationAt: (snap.get('lastEscalationAt') as Timestamp | undefined)?.toDate(),
      usualNewIssues: (snap.get('usualNewIssues') as number | undefined) ?? null,
      flood: toFloodHold(snap.get('flood')),
    };
  }

  /**
   * Stops the escalation clocks this run dealt with, in one transaction per
   * 500, leaving any an owner set meanwhile (an escalate click during the
   * send): those escalate on the next run.
   */
  async clearEscalations(seen: readonly SeenEscalation[]): Promise<void> {
    const millis = (value: unknown) => (value as Timestamp | undefined)?.toMillis();
    for (let start = 0; start < seen.length; start += MAX_BATCH_WRITES) {
      const chunk = seen.slice(start, start + MAX_BATCH_WRITES);
      const refs = chunk.map((s) => this.db.collection(COLLECTIONS.issues).doc(s.fingerprint));
      await this.timed(
        this.db.runTransaction(async (tx) => {
          const snaps = await tx.getAll(...refs);
          snaps.forEach((snap, i) => {
            const { requestedAt, dueAt } = chunk[i] as SeenEscalation;
            if (!snap.exists || millis(snap.get('escalationRequestedAt')) !== requestedAt?.getTime() || millis(snap.get('escalationDueAt')) !== dueAt?.getTime()) return;
            tx.update(snap.ref, { escalationDueAt: FieldValue.delete(), escalationRequestedAt: FieldValue.delete() });
          });
        }),
        'clearing escalations',
      );
    }
  }

  /** Records that the security team was told, unless the hold was released meanwhile (the release stands either way). */
  floodAlertSent(source: string, at: Date): Promise<void> {
    const ref = this.db.collection(COLLECTIONS.dispatchState).doc(source);
    return this.timed(
      this.db.runTransaction(async (tx) => {
        if ((await tx.get(ref)).get('flood.state') === 'held') tx.update(ref, { 'flood.alertSentAt': at });
      }),
      'recording the flood alert',
    );
  }

  /**
   * Takes the source's lease unless another run holds an unexpired one. A
   * crashed run's lease simply expires; its holder id makes renewal and
   * release safe.
   */
  async acquireLease(source: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const ref = this.db.collection(COLLECTIONS.dispatchState).doc(source);
    const taking = this.timed(
      this.db.runTransaction(async (tx) => {
        const state = (await tx.get(ref)).data();
        const heldByOther = state?.leaseHolder && state.leaseHolder !== holder && (state.leaseExpiresAt as Timestamp).toMillis() > now.getTime();
        if (heldByOther) return false;
        tx.set(ref, { leaseHolder: holder, leaseExpiresAt: new Date(now.getTime() + ttlMs) }, { merge: true });
        return true;
      }),
      'taking the dispatch lease',
    );
    // Another run was taking the lease at the same moment: it has it.
    return this.unlessContended(taking, false);
  }

  releaseLease(source: string, holder: string): Promise<void> {
    const ref = this.db.collection(COLLECTIONS.dispatchState).doc(source);
    return this.timed(
      this.db.runTransaction(async (tx) => {
        if ((await tx.get(ref)).get('leaseHolder') === holder) tx.set(ref, { leaseHolder: null, leaseExpiresAt: null }, { merge: true });
      }),
      'releasing the dispatch lease',
    );
  }

  /** Applies writes in commits of up to 500. */
  async apply(writes: readonly DispatchWrite[]): Promise<void> {
    for (let start = 0; start < writes.length; start += MAX_BATCH_WRITES) {
      const batch = this.db.batch();
      for (const write of writes.slice(start, start + MAX_BATCH_WRITES)) this.add(batch, write);
      await this.timed(batch.commit(), 'writing dispatch results');
    }
  }

  private add(batch: WriteBatch, write: DispatchWrite): void {
    switch (write.kind) {
      case 'event':
        batch.set(
          this.db.collection(COLLECTIONS.events).doc(write.id),
          { processedAt: write.processedAt, sentAt: write.sentAt, escalatedAt: write.escalatedAt },
          { merge: true },
        );
        return;
      case 'issue':
        batch.set(this.db.collection(COLLECTIONS.issues).doc(write.fingerprint), write.fields, { merge: true });
        return;
      case 'source': {
        const { kind: _kind, source, flood, ...fields } = write;
        // A cleared hold is deleted, so that the security team's list shows only live ones.
        const hold = flood === null ? { flood: FieldValue.delete() } : flood ? { flood } : {};
        batch.set(this.db.collection(COLLECTIONS.dispatchState).doc(source), { ...fields, ...hold }, { merge: true });
      }
    }
  }
}
