import type { JsonObject } from './json.ts';
import type { EventMetadata } from './metadata.ts';

/**
 * One sighting of an alert, ready to store. Events of the same finding share
 * a fingerprint; each fingerprint has one aggregate `Issue`.
 */
export interface AlertEvent {
  /** Identifies the alert body exactly; see `contentId`. */
  id: string;
  source: string;
  fingerprint: string;
  owner: string;
  /** The owner-directory rule that chose the owner. */
  ownerRule: string;
  metadata: EventMetadata;
  alert: JsonObject;
  messageId: string | undefined;
  publishedAt: Date | undefined;
  receivedAt: Date;
}
