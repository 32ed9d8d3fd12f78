import { FieldValue, type Firestore, Timestamp } from '@google-cloud/firestore';
import type { AlertEvent } from '../model/event.ts';
import { FirestoreAdapter } from './adapter.ts';
import { isAlreadyExists, isFailedPrecondition } from './errors.ts';
import { COLLECTIONS } from './firestore.ts';

/** How a stored event came about. */
export type RecordResult =
  /** A new alert body: one event created, its issue's last sighting updated. */
  | 'stored'
  /** The same body again within the dedupe window, or while still pending: nothing written. */
  | 'duplicate'
  /** The same body again after it was processed and the window passed: pending again. */
  | 'resighted';

export interface EventStoreOptions {
  /** Events are deleted by Firestore's TTL policy this long after their last sighting. */
  retentionMs: number;
  /** A record that takes longer fails, so the message is redelivered. */
  timeoutMs: number;
}

/**
 * Writes events and their issue aggregates. On the happy path a record is one
 * batched commit of two writes and no reads; only a duplicate costs a read.
 */
export class EventStore extends FirestoreAdapter {
  private readonly retentionMs: number;

  constructor(db: Firestore, options: EventStoreOptions) {
    super(db, options);
    this.retentionMs = options.retentionMs;
  }

  record(event: AlertEvent, dedupeWindowMs: number): Promise<RecordResult> {
    return this.timed(this.write(event, dedupeWindowMs), `storing event ${event.id}`);
  }

  private async write(event: AlertEvent, dedupeWindowMs: number): Promise<RecordResult> {
    const eventRef = this.db.collection(COLLECTIONS.events).doc(event.id);
    const issueRef = this.db.collection(COLLECTIONS.issues).doc(event.fingerprint);
    try {
      await this.db.batch().create(eventRef, this.eventDoc(event)).set(issueRef, issueSighting(event), ISSUE_SIGHTING_FIELDS).commit();
      return 'stored';
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }

    const existing = await eventRef.get();
    const previous = existing.data() as { receivedAt: Timestamp; processedAt: Timestamp | null } | undefined;
    // Deleted by TTL between the two calls: fail so that redelivery stores it afresh.
    if (!previous || !existing.updateTime) throw new Error(`event ${event.id} vanished while checking for a duplicate`);
    const pending = previous.processedAt === null;
    const withinWindow = event.receivedAt.getTime() - previous.receivedAt.toMillis() < dedupeWindowMs;
    if (pending || withinWindow) return 'duplicate';

    try {
      await this.db
        .batch()
        .update(eventRef, { ...this.eventDoc(event), sightings: FieldValue.increment(1) }, { lastUpdateTime: existing.updateTime })
        .set(issueRef, issueSighting(event), ISSUE_SIGHTING_FIELDS)
        .commit();
      return 'resighted';
    } catch (error) {
      // Another delivery of the same body re-armed it first.
      if (isFailedPrecondition(error)) return 'duplicate';
      throw error;
    }
  }

  private eventDoc(event: AlertEvent) {
    return {
      ...ownership(event),
      // Kept as text: alert keys are scanner-controlled and may be names
      // Firestore reserves, nest deeper than it allows, or bloat its indexes.
      alertJson: JSON.stringify(event.alert),
      messageId: event.messageId ?? null,
      publishedAt: event.publishedAt ?? null,
      receivedAt: event.receivedAt,
      processedAt: null,
      sentAt: null,
      escalatedAt: null,
      sightings: 1,
      expireAt: Timestamp.fromMillis(event.receivedAt.getTime() + this.retentionMs),
    };
  }
}

/** `mergeFields` replaces these fields whole (metadata included) and leaves the rest of the issue alone. */
const ISSUE_SIGHTING_FIELDS = {
  mergeFields: ['fingerprint', 'source', 'owner', 'ownerRule', 'metadata', 'lastSeen', 'seenCount'],
};

/** What an event and its issue both say about the finding: whose it is and what it is. */
function ownership(event: AlertEvent) {
  return {
    source: event.source,
    fingerprint: event.fingerprint,
    owner: event.owner,
    ownerRule: event.ownerRule,
    metadata: event.metadata,
  };
}

function issueSighting(event: AlertEvent) {
  return {
    ...ownership(event),
    lastSeen: event.receivedAt,
    seenCount: FieldValue.increment(1),
  };
}
