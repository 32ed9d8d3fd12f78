import type { RefusalReason } from '../ingest/refusal.ts';

/** A refused alert, kept with its reason so nothing is lost. */
export interface DeadLetter {
  reason: RefusalReason;
  error: string;
  details: readonly string[];
  sourceType: string | undefined;
  messageId: string | undefined;
  attributes: Record<string, string>;
  publishedAt: Date | undefined;
  receivedAt: Date;
  /** The message data exactly as delivered (base64). */
  rawData: string | undefined;
}
