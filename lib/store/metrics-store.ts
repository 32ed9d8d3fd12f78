import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import type { EventFact, FoldIssue, InteractionFact, IssueMarks, Marker } from '../metrics/fold.ts';
import { type DayRollup, dimensionsOf } from '../metrics/model.ts';
import { Rollups } from '../metrics/rollups.ts';
import { FirestoreAdapter } from './adapter.ts';
import { COLLECTIONS } from './collections.ts';
import { buildQuery, QUERIES, type QuerySpec } from './queries.ts';

/** Facts read per round trip. */
const PAGE_SIZE = 1_000;
/** Firestore's limit of documents in one batched get, and of writes in one commit. */
const MAX_BATCH = 500;

const ROLLUP_STATE = 'rollup';
const SUMMARY_STATE = 'weeklySummary';

/**
 * Firestore access for metrics: the facts after the rollup's watermark,
 * the marks on issues, and the day rollups. The watermark moves only in a
 * transaction that checks it has not moved meanwhile, so two rollups
 * running at once cannot both count the same facts.
 */
export class MetricsStore extends FirestoreAdapter {
  /** Everything up to here is in the day rollups; undefined before the first rollup. */
  async foldedUpTo(): Promise<Date | undefined> {
    const snap = await this.timed(this.stateRef(ROLLUP_STATE).get(), 'reading the metrics watermark');
    return (snap.get('foldedUpTo') as Timestamp | undefined)?.toDate();
  }

  /** Events received in (after, upTo], oldest first (query Q11). */
  events(after: Date, upTo: Date): Promise<EventFact[]> {
    return this.facts(QUERIES.eventsUpTo, 'receivedAt', after, upTo, (data) => ({ metadata: data.metadata ?? {} }));
  }

  /** Interactions in (after, upTo], oldest first (query Q12). */
  interactions(after: Date, upTo: Date): Promise<InteractionFact[]> {
    return this.facts(QUERIES.interactionsUpTo, 'at', after, upTo, (data) => ({ action: data.action }));
  }

  /** The issues of these fingerprints, with their metadata and metrics marks, in batched gets. */
  async issues(fingerprints: Iterable<string>): Promise<Map<string, FoldIssue>> {
    const found = new Map<string, FoldIssue>();
    const all = [...new Set(fingerprints)];
    for (let start = 0; start < all.length; start += MAX_BATCH) {
      const refs = all.slice(start, start + MAX_BATCH).map((fp) => this.db.collection(COLLECTIONS.issues).doc(fp));
      for (const snap of await this.timed(this.db.getAll(...refs), 'reading issues for metrics')) {
        const data = snap.data();
        if (!data) continue;
        const marks = (data.metrics ?? {}) as Record<string, { id: string; at: Timestamp } | undefined>;
        found.set(snap.id, { dims: dimensionsOf(data.source, data.metadata ?? {}), opened: toMarker(marks.opened), firstAction: toMarker(marks.firstAction) });
      }
    }
    return found;
  }

  /** Writes marks before the counts they decide, so a fold repeated after a crash counts the same. */
  async mark(marks: ReadonlyMap<string, IssueMarks>): Promise<void> {
    const entries = [...marks];
    for (let start = 0; start < entries.length; start += MAX_BATCH) {
      const batch = this.db.batch();
      for (const [fp, mark] of entries.slice(start, start + MAX_BATCH)) batch.set(this.db.collection(COLLECTIONS.issues).doc(fp), { metrics: mark }, { merge: true });
      await this.timed(batch.commit(), 'marking issues for metrics');
    }
  }

  /**
   * Adds the folded figures to the day rollups and moves the watermark, in
   * one transaction; false (and nothing written) if another rollup moved
   * the watermark first, or was committing at the same moment.
   */
  async commit(expected: Date | undefined, upTo: Date, folded: readonly DayRollup[]): Promise<boolean> {
    const state = this.stateRef(ROLLUP_STATE);
    const refs = folded.map((r) => this.db.collection(COLLECTIONS.metricsDays).doc(`${r.day}_${r.source}`));
    const committing = this.timed(
      this.db.runTransaction(async (tx) => {
        const current = ((await tx.get(state)).get('foldedUpTo') as Timestamp | undefined)?.toMillis();
        if (current !== expected?.getTime()) return false;
        const stored = refs.length > 0 ? await tx.getAll(...refs) : [];
        const sums = new Rollups(stored.flatMap((snap) => (snap.exists ? [snap.data() as DayRollup] : [])));
        for (const rollup of folded) sums.merge(rollup);
        for (const rollup of sums.list()) tx.set(this.db.collection(COLLECTIONS.metricsDays).doc(`${rollup.day}_${rollup.source}`), rollup);
        tx.set(state, { foldedUpTo: upTo }, { merge: true });
        return true;
      }),
      'committing the metrics rollup',
    );
    return this.unlessContended(committing, false);
  }

  /**
   * The watermark and the day rollups from `sinceDay` (YYYY-MM-DD) on
   * (query Q13), read together: a rollup committing between two separate
   * reads would have its facts counted twice.
   */
  rolledUp(sinceDay: string): Promise<{ foldedUpTo: Date | undefined; rollups: DayRollup[] }> {
    return this.timed(
      this.db.runTransaction(
        async (tx) => {
          const state = await tx.get(this.stateRef(ROLLUP_STATE));
          const days = await tx.get(buildQuery(this.db, QUERIES.recentRollups, { equals: [], range: sinceDay }));
          return { foldedUpTo: (state.get('foldedUpTo') as Timestamp | undefined)?.toDate(), rollups: days.docs.map((doc) => doc.data() as DayRollup) };
        },
        { readOnly: true },
      ),
      'reading day rollups',
    );
  }

  /**
   * Claims the summary of the week ending `day`, so that two runs at once
   * (a Scheduler retry overlapping a slow first attempt) do not both send
   * it. A claim lapses after `ttlMs`, so a run that crashed holding it does
   * not stop the next one.
   */
  async claimWeeklySummary(day: string, now: Date, ttlMs: number): Promise<'claimed' | 'already-sent' | 'in-progress'> {
    const ref = this.stateRef(SUMMARY_STATE);
    const claiming = this.timed(
      this.db.runTransaction(async (tx) => {
        const state = (await tx.get(ref)).data();
        if (state?.lastDay === day) return 'already-sent';
        if (state?.claimDay === day && (state.claimExpiresAt as Timestamp).toMillis() > now.getTime()) return 'in-progress';
        tx.set(ref, { claimDay: day, claimExpiresAt: new Date(now.getTime() + ttlMs) }, { merge: true });
        return 'claimed';
      }),
      'claiming the weekly summary',
    );
    return this.unlessContended(claiming, 'in-progress');
  }

  /** Sent: the week is done. Not sent: the claim is given up, for a retry to take. */
  async finishWeeklySummary(day: string, sent: boolean): Promise<void> {
    const done = sent ? { lastDay: day, claimDay: null } : { claimDay: null };
    await this.timed(this.stateRef(SUMMARY_STATE).set(done, { merge: true }), 'recording the weekly summary');
  }

  private stateRef(name: string) {
    return this.db.collection(COLLECTIONS.metricsState).doc(name);
  }

  /** Every fact of a query in (after, upTo], a page per round trip: its id and time, its issue, and what `extra` reads. */
  private async facts<T extends { id: string; at: Date; fingerprint: string; source: string }>(
    spec: QuerySpec,
    timeField: string,
    after: Date,
    upTo: Date,
    extra: (data: DocumentData) => Omit<T, 'id' | 'at' | 'fingerprint' | 'source'>,
  ): Promise<T[]> {
    const facts: T[] = [];
    let cursor: unknown[] = [after];
    for (;;) {
      const page = await this.timed(buildQuery(this.db, spec, { equals: [], range: upTo }).startAfter(...cursor).limit(PAGE_SIZE).get(), `reading ${spec.collection} for metrics`);
      for (const doc of page.docs) {
        const data = doc.data();
        facts.push({ id: doc.id, at: (data[timeField] as Timestamp).toDate(), fingerprint: data.fingerprint, source: data.source, ...extra(data) } as T);
      }
      const last = page.docs[page.docs.length - 1];
      if (!last || page.size < PAGE_SIZE) return facts;
      cursor = [last.get(timeField), last.id];
    }
  }
}

function toMarker(stored: { id: string; at: Timestamp } | undefined): Marker | undefined {
  return stored ? { id: stored.id, at: stored.at.toDate() } : undefined;
}
