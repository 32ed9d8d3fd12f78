import { createHash } from 'node:crypto';
import type { Timestamp } from '@google-cloud/firestore';
import { FieldValue } from '@google-cloud/firestore';
import { IGNORE_FOR_ACTION, type Interaction } from '../model/interaction.ts';
import type { Issue } from '../model/issue.ts';
import { FirestoreAdapter } from './adapter.ts';
import { isAlreadyExists } from './errors.ts';
import { COLLECTIONS } from './collections.ts';
import { toIssue } from './issue-doc.ts';
import { buildQuery, QUERIES } from './queries.ts';

/** Issues and their audit trail, as the v0 API reads and changes them. */
export class IssueStore extends FirestoreAdapter {
  async get(fingerprint: string): Promise<Issue | undefined> {
    const snap = await this.timed(this.db.collection(COLLECTIONS.issues).doc(fingerprint).get(), 'reading an issue');
    const data = snap.data();
    return data ? toIssue(fingerprint, data) : undefined;
  }

  /** An owner's issues seen since `since`, ignored or not, newest first (query Q4). */
  async recentIssues(owner: string, since: Date): Promise<Issue[]> {
    const snap = await this.timed(
      buildQuery(this.db, QUERIES.ownerIssues, { equals: [owner], range: since }).limit(1_000).get(),
      'reading open issues',
    );
    return snap.docs.map((doc) => toIssue(doc.id, doc.data()));
  }

  /**
   * Changes the issue's state and records who did it, in one commit. With
   * `onceKey` (a mail link's token), the audit entry's id derives from it,
   * so a second use of the same key changes nothing and says so.
   */
  async act(interaction: Interaction, onceKey?: string): Promise<'done' | 'already-done'> {
    const ignore = IGNORE_FOR_ACTION[interaction.action];
    const at = interaction.at;
    const fields: Record<string, unknown> = {};
    if (ignore === null) fields.ignore = null;
    else if (ignore) fields.ignore = { state: ignore, until: interaction.until, by: interaction.actor, at, reason: interaction.reason };
    // Acting on a real-time issue stops its escalation clock; escalating by hand starts it now.
    if (interaction.action === 'escalate') Object.assign(fields, { escalationRequestedAt: at, escalationDueAt: at });
    else if (ignore) Object.assign(fields, { escalationDueAt: FieldValue.delete() });
    const batch = this.db.batch();
    batch.set(this.db.collection(COLLECTIONS.issues).doc(interaction.fingerprint), fields, { merge: true });
    const entries = this.db.collection(COLLECTIONS.interactions);
    batch.create(onceKey ? entries.doc(`once-${createHash('sha256').update(onceKey).digest('hex')}`) : entries.doc(), interaction);
    try {
      await this.timed(batch.commit(), 'recording an action');
    } catch (error) {
      if (onceKey && isAlreadyExists(error)) return 'already-done';
      throw error;
    }
    return 'done';
  }

  /** The audit trail of one issue, or of every issue of an owner, newest first (queries Q9, Q10). */
  async interactions(filter: { fingerprint: string } | { owner: string }, limit = 200): Promise<Interaction[]> {
    const [spec, value] = 'fingerprint' in filter ? [QUERIES.issueInteractions, filter.fingerprint] : [QUERIES.ownerInteractions, filter.owner];
    const snap = await this.timed(buildQuery(this.db, spec, { equals: [value] }).limit(limit).get(), 'reading interactions');
    return snap.docs.map((doc) => {
      const data = doc.data();
      return { ...data, at: (data.at as Timestamp).toDate(), until: data.until ? (data.until as Timestamp).toDate() : null } as Interaction;
    });
  }

  /** A storage round trip, for `/v0/dbcheck`. */
  async check(): Promise<void> {
    await this.timed(this.db.collection(COLLECTIONS.dispatchState).limit(1).get(), 'checking storage');
  }
}
