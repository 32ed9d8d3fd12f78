import { createHash } from 'node:crypto';
import type { DeadLetter } from '../model/dead-letter.ts';
import { FirestoreAdapter } from './adapter.ts';
import { type FirestoreRest, toFields } from './firestore-rest.ts';
import { COLLECTIONS } from './collections.ts';

/** Firestore documents stop at 1 MiB; larger bodies keep their head, size and hash. */
export const MAX_STORED_RAW_CHARS = 512 * 1024;

/** Refused alerts, over Firestore's REST API like the rest of the ingest path. */
export class DeadLetterStore extends FirestoreAdapter<FirestoreRest> {
  /** Idempotent: a redelivered message overwrites its own dead letter. Returns its id. */
  async record(letter: DeadLetter): Promise<string> {
    const raw = letter.rawData ?? '';
    const rawSha256 = createHash('sha256').update(raw).digest('hex');
    // Message ids are digits; anything else is made safe to use as a document id.
    const id = letter.messageId ? `msg-${letter.messageId.replace(/[^\w-]/g, '_').slice(0, 200)}` : `sha-${rawSha256}`;
    const fields = toFields({
      reason: letter.reason,
      error: letter.error,
      details: letter.details.slice(0, 50),
      sourceType: letter.sourceType ?? null,
      messageId: letter.messageId ?? null,
      // Attribute names are publisher-controlled and may be names Firestore reserves.
      attributesJson: JSON.stringify(letter.attributes),
      publishedAt: letter.publishedAt ?? null,
      receivedAt: letter.receivedAt,
      rawBase64: raw.slice(0, MAX_STORED_RAW_CHARS),
      rawTruncated: raw.length > MAX_STORED_RAW_CHARS,
      rawBase64Length: raw.length,
      rawSha256,
    });
    await this.timed(this.db.commit([{ update: { name: this.db.name(`${COLLECTIONS.deadLetters}/${id}`), fields } }]), `storing dead letter ${id}`);
    return id;
  }
}
