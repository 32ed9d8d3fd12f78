import type { AlertEvent } from '../model/event.ts';
import { FirestoreAdapter } from './adapter.ts';
import { isAlreadyExists, isFailedPrecondition } from './errors.ts';
import { COLLECTIONS } from './collections.ts';
import { type FirestoreRest, toFields, type Write } from './firestore-rest.ts';

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

const INCREMENT = { integerValue: '1' };

/**
 * Writes events and their issue aggregates, over Firestore's REST API (see
 * firestore-rest.ts). On the happy path a record is one commit of two writes
 * and no reads; only a duplicate costs a read.
 */
export class EventStore extends FirestoreAdapter<FirestoreRest> {
  private readonly retentionMs: number;

  constructor(db: FirestoreRest, options: EventStoreOptions) {
    super(db, options);
    this.retentionMs = options.retentionMs;
  }

  record(event: AlertEvent, dedupeWindowMs: number): Promise<RecordResult> {
    return this.timed(this.write(event, dedupeWindowMs), `storing event ${event.id}`);
  }

  private async write(event: AlertEvent, dedupeWindowMs: number): Promise<RecordResult> {
    const eventPath = `${COLLECTIONS.events}/${event.id}`;
    try {
      await this.db.commit([{ update: { name: this.db.name(eventPath), fields: toFields(this.eventDoc(event)) }, currentDocument: { exists: false } }, this.issueSighting(event)]);
      return 'stored';
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }

    const existing = await this.db.get(eventPath);
    // Deleted by TTL between the two calls: fail so that redelivery stores it afresh.
    if (!existing) throw new Error(`event ${event.id} vanished while checking for a duplicate`);
    const received = existing.fields.receivedAt;
    const pending = !existing.fields.processedAt || 'nullValue' in existing.fields.processedAt;
    const receivedMs = received && 'timestampValue' in received ? Date.parse(received.timestampValue) : 0;
    if (pending || event.receivedAt.getTime() - receivedMs < dedupeWindowMs) return 'duplicate';

    const { sightings: _counted, ...fields } = this.eventDoc(event);
    try {
      await this.db.commit([
        {
          update: { name: this.db.name(eventPath), fields: toFields(fields) },
          updateMask: { fieldPaths: Object.keys(fields) },
          updateTransforms: [{ fieldPath: 'sightings', increment: INCREMENT }],
          // Another delivery of the same body may re-arm it first.
          currentDocument: { updateTime: existing.updateTime },
        },
        this.issueSighting(event),
      ]);
      return 'resighted';
    } catch (error) {
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
      expireAt: new Date(event.receivedAt.getTime() + this.retentionMs),
    };
  }

  /** Replaces these fields whole (metadata included), counts the sighting, and leaves the rest of the issue alone. */
  private issueSighting(event: AlertEvent): Write {
    const fields = { ...ownership(event), lastSeen: event.receivedAt };
    return {
      update: { name: this.db.name(`${COLLECTIONS.issues}/${event.fingerprint}`), fields: toFields(fields) },
      updateMask: { fieldPaths: Object.keys(fields) },
      updateTransforms: [{ fieldPath: 'seenCount', increment: INCREMENT }],
    };
  }
}

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
