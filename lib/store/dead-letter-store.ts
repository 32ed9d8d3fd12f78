import { createHash } from 'node:crypto';
import type { DeadLetter } from '../model/dead-letter.ts';
import { FirestoreAdapter } from './adapter.ts';
import { COLLECTIONS } from './firestore.ts';

/** Firestore documents stop at 1 MiB; larger bodies keep their head, size and hash. */
export const MAX_STORED_RAW_CHARS = 512 * 1024;

export class DeadLetterStore extends FirestoreAdapter {
  /** Idempotent: a redelivered message overwrites its own dead letter. Returns its id. */
  async record(letter: DeadLetter): Promise<string> {
    const raw = letter.rawData ?? '';
    const rawSha256 = createHash('sha256').update(raw).digest('hex');
    const id = letter.messageId ? `msg-${letter.messageId}` : `sha-${rawSha256}`;
    const write = this.db
      .collection(COLLECTIONS.deadLetters)
      .doc(id)
      .set({
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
    await this.timed(write, `storing dead letter ${id}`);
    return id;
  }
}
