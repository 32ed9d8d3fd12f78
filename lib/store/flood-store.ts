import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import type { FloodHold } from '../model/flood.ts';
import { FirestoreAdapter } from './adapter.ts';
import { COLLECTIONS } from './collections.ts';

/** A flood hold as stored in its source's `dispatchState` document. */
export function toFloodHold(data: DocumentData | null | undefined): FloodHold | undefined {
  if (!data) return undefined;
  const date = (value: unknown) => (value ? (value as Timestamp).toDate() : null);
  return {
    state: data.state,
    detectedAt: date(data.detectedAt) ?? new Date(0),
    newIssues: data.newIssues,
    threshold: data.threshold,
    usual: data.usual ?? null,
    owners: data.owners,
    topOwners: data.topOwners ?? [],
    topIssueTypes: data.topIssueTypes ?? [],
    sourceReadable: data.sourceReadable ?? '',
    alertSentAt: date(data.alertSentAt),
    releasedAt: date(data.releasedAt),
    releasedBy: data.releasedBy ?? null,
    discard: data.discard === true,
  };
}

export type ReleaseOutcome = { released: FloodHold } | { notHeld: FloodHold | undefined };

/** Held floods, as the security team lists and releases them. */
export class FloodStore extends FirestoreAdapter {
  /** Every source's hold, held or released and not yet dispatched; one document per source. */
  async holds(): Promise<{ source: string; hold: FloodHold }[]> {
    const snap = await this.timed(this.db.collection(COLLECTIONS.dispatchState).get(), 'reading flood holds');
    return snap.docs.flatMap((doc) => {
      const hold = toFloodHold(doc.get('flood'));
      return hold ? [{ source: doc.id, hold }] : [];
    });
  }

  /** Lets the next dispatch run mail the held batch, or settle it without mail when `discard`. */
  release(source: string, by: string, at: Date, discard: boolean): Promise<ReleaseOutcome> {
    const ref = this.db.collection(COLLECTIONS.dispatchState).doc(source);
    return this.timed(
      this.db.runTransaction(async (tx) => {
        const hold = toFloodHold((await tx.get(ref)).get('flood'));
        if (hold?.state !== 'held') return { notHeld: hold };
        const released: FloodHold = { ...hold, state: 'released', releasedAt: at, releasedBy: by, discard };
        tx.set(ref, { flood: released }, { merge: true });
        return { released };
      }),
      'releasing a flood hold',
    );
  }
}
